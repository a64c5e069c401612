// Test harness: drives a KindWebhook through the real dispatcher and mapper, as the API server would.
import { pino } from 'pino';
import type { AdmissionResponse } from './admission-review.schema.js';
import { AdmissionDispatcher } from './admission.dispatcher.js';
import { applyJsonPatch, type JsonPatchOp } from './json-patch.js';
import type { KindWebhook, KubeObject } from './kind-webhook.js';
import type { FeatureFlags } from '../config/schema.js';

export const ALL_FLAGS: FeatureFlags = {
  enableIPv4: true,
  enableIPv6: true,
  enableSpiderSubnet: true,
  enableValidatingResourcesDeletedWebhook: false,
};

let seq = 0;

export function review(
  webhook: KindWebhook,
  operation: 'CREATE' | 'UPDATE' | 'DELETE',
  object: KubeObject | null,
  oldObject: KubeObject | null = null,
): unknown {
  const meta = (object ?? oldObject)?.metadata ?? {};
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: `uid-${++seq}`,
      kind: { group: 'spiderpool.spidernet.io', version: 'v2beta1', kind: webhook.kind },
      resource: { group: 'spiderpool.spidernet.io', version: 'v2beta1', resource: webhook.resource },
      name: meta.name,
      namespace: meta.namespace,
      operation,
      object,
      oldObject,
    },
  };
}

export class AdmissionHarness {
  readonly observed: { labels: Record<string, unknown>; seconds: number }[] = [];
  readonly dispatcher = new AdmissionDispatcher(pino({ level: 'silent' }), {
    observe: (labels, seconds) => this.observed.push({ labels, seconds }),
  });

  constructor(private readonly webhook: KindWebhook) {}

  /** Run the mutating webhook and apply its patch; returns the object the API server would store. */
  async mutate(obj: KubeObject, operation: 'CREATE' | 'UPDATE' = 'CREATE'): Promise<KubeObject> {
    const out = await this.dispatcher.handle('mutate', this.webhook, review(this.webhook, operation, obj));
    if (!out.response.allowed) throw new Error(`mutation denied: ${JSON.stringify(out.response.status)}`);
    if (out.response.patch === undefined) return obj;
    const ops = JSON.parse(Buffer.from(out.response.patch, 'base64').toString()) as JsonPatchOp[];
    return applyJsonPatch(obj, ops);
  }

  async create(obj: KubeObject): Promise<AdmissionResponse> {
    return (await this.dispatcher.handle('validate', this.webhook, review(this.webhook, 'CREATE', obj))).response;
  }

  async update(oldObj: KubeObject, newObj: KubeObject): Promise<AdmissionResponse> {
    return (await this.dispatcher.handle('validate', this.webhook, review(this.webhook, 'UPDATE', newObj, oldObj))).response;
  }

  async delete(oldObj: KubeObject): Promise<AdmissionResponse> {
    return (await this.dispatcher.handle('validate', this.webhook, review(this.webhook, 'DELETE', null, oldObj))).response;
  }
}

/** One-line summary of a response for table assertions: `allowed`, or `<code> <field>:<reason> ... | message`. */
export function verdict(r: AdmissionResponse): string {
  if (r.allowed) return 'allowed';
  const causes = (r.status?.details?.causes ?? []).map((c) => `${c.field}:${c.reason}`).join(',');
  return `${r.status?.code} ${causes}`.trim();
}
