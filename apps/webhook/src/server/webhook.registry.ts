import type { KindWebhook } from '../admission/kind-webhook.js';

/** Served kinds by lowercase kind name; a kind missing here answers 404 (feature disabled). */
export class WebhookRegistry {
  private readonly byKind = new Map<string, KindWebhook>();

  constructor(webhooks: readonly KindWebhook[]) {
    for (const w of webhooks) this.byKind.set(w.kind.toLowerCase(), w);
  }

  get(lowercaseKind: string): KindWebhook | undefined {
    return this.byKind.get(lowercaseKind);
  }

  kinds(): string[] {
    return [...this.byKind.values()].map((w) => w.kind);
  }
}

export const WEBHOOK_REGISTRY = Symbol('WEBHOOK_REGISTRY');
export const ADMISSION_DISPATCHER = Symbol('ADMISSION_DISPATCHER');
