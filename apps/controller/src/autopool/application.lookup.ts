import { apiVersionFromGvLabel } from '@spiderpool/ipam-core';
import type { ObjectClient, ResourceKind, WireObject } from '../api-client/object-client.port.js';
import { kindByName } from '../api-client/resource-kinds.js';

/** Live existence check of a pool's owning application (ipam.md §7.5 step 6). */
export interface ApplicationLookup {
  /** The application's UID, or undefined when it does not exist. */
  uidOf(app: { apiVersion: string; kind: string; namespace: string; name: string }): Promise<string | undefined>;
}

/** A kind we do not know statically (third-party controller): plural guessed as lower-case kind + `s`. */
export function resourceKindOf(apiVersion: string, kind: string): ResourceKind {
  return kindByName(apiVersion, kind) ?? { apiVersion, kind, plural: `${kind.toLowerCase()}s`, namespaced: true };
}

export class ObjectClientApplicationLookup implements ApplicationLookup {
  constructor(private readonly client: ObjectClient) {}

  async uidOf(app: { apiVersion: string; kind: string; namespace: string; name: string }): Promise<string | undefined> {
    const obj = await this.client.get<WireObject>(resourceKindOf(app.apiVersion, app.kind), { namespace: app.namespace, name: app.name });
    return obj?.metadata.uid;
  }
}

export { apiVersionFromGvLabel };
