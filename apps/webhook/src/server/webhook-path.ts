import type { WebhookRole } from '../admission/admission.dispatcher.js';

const PATH = /^(mutate|validate)-spiderpool-spidernet-io-v2beta1-([a-z]+)$/;

/** `/mutate-spiderpool-spidernet-io-v2beta1-<lowercase kind>` (crds.md §1.4). */
export const webhookPath = (role: WebhookRole, kind: string): string =>
  `/${role}-spiderpool-spidernet-io-v2beta1-${kind.toLowerCase()}`;

export function parseWebhookPath(segment: string): { role: WebhookRole; kind: string } | null {
  const m = PATH.exec(segment);
  return m ? { role: m[1] as WebhookRole, kind: m[2] as string } : null;
}
