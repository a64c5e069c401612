import { BadRequestException, Body, Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import type { AdmissionDispatcher } from '../admission/admission.dispatcher.js';
import type { AdmissionReviewResponse } from '../admission/admission-review.schema.js';
import { BadAdmissionReviewError } from '../admission/errors.js';
import { ADMISSION_METRICS } from '../observability/observability.tokens.js';
import type { AdmissionMetrics } from '../observability/admission-metrics.js';
import { parseWebhookPath } from './webhook-path.js';
import { ADMISSION_DISPATCHER, WEBHOOK_REGISTRY, type WebhookRegistry } from './webhook.registry.js';

@Controller()
export class AdmissionController {
  constructor(
    @Inject(WEBHOOK_REGISTRY) private readonly registry: WebhookRegistry,
    @Inject(ADMISSION_DISPATCHER) private readonly dispatcher: AdmissionDispatcher,
    @Inject(ADMISSION_METRICS) private readonly metrics: AdmissionMetrics,
  ) {}

  @Get('webhook-health-check')
  health(): string {
    return 'ok';
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  @Post(':hook')
  @HttpCode(200)
  async review(@Param('hook') hook: string, @Body() body: unknown): Promise<AdmissionReviewResponse> {
    const parsed = parseWebhookPath(hook);
    const webhook = parsed ? this.registry.get(parsed.kind) : undefined;
    if (!parsed || !webhook) throw new NotFoundException(`no admission webhook at /${hook}`);
    try {
      return await this.dispatcher.handle(parsed.role, webhook, body);
    } catch (err) {
      if (err instanceof BadAdmissionReviewError) throw new BadRequestException(err.message);
      throw err;
    }
  }
}
