// Routes one AdmissionReview to the kind's mutator/validator and maps the outcome (framework-free, unit-tested).
import type { Logger } from 'pino';
import {
  AdmissionReviewSchema,
  type AdmissionResponse,
  type AdmissionReviewResponse,
  type AdmissionRequest,
} from './admission-review.schema.js';
import { allow, deny, failure } from './admission-response.mapper.js';
import { BadAdmissionReviewError, UnsupportedKindError } from './errors.js';
import { createJsonPatch } from './json-patch.js';
import type { KindWebhook, KubeObject } from './kind-webhook.js';
import { LOG_FIELDS } from '../observability/log-fields.js';

export type WebhookRole = 'mutate' | 'validate';

export interface AdmissionObserver {
  observe(labels: { kind: string; operation: string; webhook: WebhookRole; allowed: boolean }, seconds: number): void;
}

export class AdmissionDispatcher {
  constructor(
    private readonly log: Logger,
    private readonly observer: AdmissionObserver,
  ) {}

  /** Parse a raw body; throws BadAdmissionReviewError when it is not an AdmissionReview v1 request. */
  parse(body: unknown): AdmissionRequest {
    const parsed = AdmissionReviewSchema.safeParse(body);
    if (!parsed.success) {
      throw new BadAdmissionReviewError(`not an admission.k8s.io/v1 AdmissionReview request: ${parsed.error.message}`);
    }
    return parsed.data.request;
  }

  async handle(role: WebhookRole, webhook: KindWebhook, body: unknown): Promise<AdmissionReviewResponse> {
    const request = this.parse(body);
    const started = process.hrtime.bigint();
    const name = request.name ?? (request.object?.['metadata'] as { name?: string } | undefined)?.name ?? '';
    const log = this.log.child({
      [LOG_FIELDS.kind]: webhook.kind,
      [LOG_FIELDS.name]: name,
      [LOG_FIELDS.namespace]: request.namespace,
      [LOG_FIELDS.operation]: request.operation,
      [LOG_FIELDS.admissionUid]: request.uid,
      [LOG_FIELDS.webhook]: role,
    });
    let response: AdmissionResponse;
    try {
      if (request.kind.kind !== webhook.kind) {
        throw new UnsupportedKindError(`this path serves ${webhook.kind}, got ${request.kind.kind}`);
      }
      response =
        role === 'mutate'
          ? await this.mutate(webhook, request, log)
          : await this.validate(webhook, request, name, log);
    } catch (err) {
      log.error({ err }, 'admission handler failed');
      response = failure(request.uid, err);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.observer.observe(
      { kind: webhook.kind, operation: request.operation, webhook: role, allowed: response.allowed },
      seconds,
    );
    if (response.allowed) log.debug({ patched: response.patch !== undefined }, 'admitted');
    else log.info({ code: response.status?.code, reason: response.status?.reason }, 'denied');
    return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
  }

  private async mutate(webhook: KindWebhook, req: AdmissionRequest, log: Logger): Promise<AdmissionResponse> {
    // crds.md §1.5: DELETE is skipped; mutation never denies.
    if (req.operation !== 'CREATE' && req.operation !== 'UPDATE') return allow(req.uid);
    if (webhook.mutate === undefined || !req.object) return allow(req.uid);
    const received = req.object as KubeObject;
    const mutated = await webhook.mutate(structuredClone(received), { log });
    return allow(req.uid, createJsonPatch(received, mutated));
  }

  private async validate(
    webhook: KindWebhook,
    req: AdmissionRequest,
    name: string,
    log: Logger,
  ): Promise<AdmissionResponse> {
    const ctx = { log };
    const obj = req.object as KubeObject | undefined | null;
    const old = req.oldObject as KubeObject | undefined | null;
    let denial = null;
    if (req.operation === 'CREATE' && webhook.validateCreate && obj) denial = await webhook.validateCreate(obj, ctx);
    else if (req.operation === 'UPDATE' && webhook.validateUpdate && obj && old)
      denial = await webhook.validateUpdate(old, obj, ctx);
    else if (req.operation === 'DELETE' && webhook.validateDelete && old) denial = await webhook.validateDelete(old, ctx);
    if (denial === null) return allow(req.uid);
    return deny(denial, { uid: req.uid, kind: webhook.kind, resource: webhook.resource, name });
  }
}
