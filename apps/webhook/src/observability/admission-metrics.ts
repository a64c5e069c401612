import { Counter, Histogram, Registry } from 'prom-client';
import type { AdmissionObserver, WebhookRole } from '../admission/admission.dispatcher.js';

/** Request count and latency by kind/operation/webhook/allowed: all bounded label sets. */
export class AdmissionMetrics implements AdmissionObserver {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'spiderpool_webhook_requests_total',
    help: 'Admission requests handled, by kind, operation, webhook role and verdict.',
    labelNames: ['kind', 'operation', 'webhook', 'allowed'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'spiderpool_webhook_request_duration_seconds',
    help: 'Admission handling latency in seconds.',
    labelNames: ['kind', 'operation', 'webhook', 'allowed'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  observe(l: { kind: string; operation: string; webhook: WebhookRole; allowed: boolean }, seconds: number): void {
    const labels = { kind: l.kind, operation: l.operation, webhook: l.webhook, allowed: String(l.allowed) };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }
}
