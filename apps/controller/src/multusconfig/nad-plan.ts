import { API_GROUP_VERSION, NAD_API_GROUP_VERSION, type NetworkAttachmentDefinition, type OwnerReference } from '@spiderpool/crd-types';
import { NadOwnedElsewhereError, NadTerminatingError } from './multusconfig.errors.js';
import type { RenderedNad } from '@spiderpool/multus-config';

/** The SMC a NAD is generated from: enough to build the controller ownerReference. */
export interface SmcOwner {
  name: string;
  uid: string;
}

export type NadPlan =
  | { action: 'create'; nad: NetworkAttachmentDefinition }
  | { action: 'update'; nad: NetworkAttachmentDefinition; changed: Array<'annotations' | 'config' | 'owner'> }
  | { action: 'none' };

export function smcOwnerReference(owner: SmcOwner): OwnerReference {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: 'SpiderMultusConfig',
    name: owner.name,
    uid: owner.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function sameAnnotations(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  const bb = b ?? {};
  return ea.length === Object.keys(bb).length && ea.every(([k, v]) => bb[k] === v);
}

/**
 * Decide the one write that makes the live NAD match the rendered one (controller-and-chart.md §1.4 step 4):
 * create when absent; otherwise update once when annotations, `spec.config` (exact string) or the controller
 * ownerReference differ. Labels and other owners' non-controller references are kept. Throws
 * `NadTerminatingError` while the NAD is being deleted and `NadOwnedElsewhereError` when another SMC controls it.
 */
export function planNadWrite(
  existing: NetworkAttachmentDefinition | undefined,
  desired: RenderedNad,
  owner: SmcOwner,
): NadPlan {
  const ref = smcOwnerReference(owner);
  if (!existing) {
    return {
      action: 'create',
      nad: {
        apiVersion: NAD_API_GROUP_VERSION,
        kind: 'NetworkAttachmentDefinition',
        metadata: {
          name: desired.name,
          namespace: desired.namespace,
          annotations: desired.annotations,
          ownerReferences: [ref],
        },
        spec: { config: desired.config },
      },
    };
  }
  if (existing.metadata.deletionTimestamp != null) {
    throw new NadTerminatingError(`NetworkAttachmentDefinition ${desired.namespace}/${desired.name} is being deleted`);
  }
  const refs = existing.metadata.ownerReferences ?? [];
  const otherSmc = refs.find((r) => r.kind === 'SpiderMultusConfig' && r.name !== owner.name);
  if (otherSmc) {
    throw new NadOwnedElsewhereError(
      `the net-attach-def ${desired.namespace}/${desired.name} already exists and is managed by SpiderMultusConfig ` +
        `${desired.namespace}/${otherSmc.name}`,
    );
  }
  const changed: Array<'annotations' | 'config' | 'owner'> = [];
  if (!sameAnnotations(existing.metadata.annotations, desired.annotations)) changed.push('annotations');
  if ((existing.spec?.config ?? '') !== desired.config || existing.spec?.config === undefined) changed.push('config');
  const controlled = refs.some((r) => r.controller === true && r.uid === owner.uid);
  if (!controlled) changed.push('owner');
  if (changed.length === 0) return { action: 'none' };
  // Keep other owners' plain references; a NAD has at most one controller, and it becomes this SMC.
  const ownerReferences = controlled ? refs : [...refs.filter((r) => r.controller !== true && r.uid !== owner.uid), ref];
  return {
    action: 'update',
    changed,
    nad: {
      ...existing,
      metadata: { ...existing.metadata, annotations: desired.annotations, ownerReferences },
      spec: { ...existing.spec, config: desired.config },
    },
  };
}
