import { Module } from '@nestjs/common';
import type { KindWebhook } from '../admission/kind-webhook.js';
import { APP_CONFIG, type FeatureFlags } from '../config/schema.js';
import { ReservedIPMutator } from './reservedip.mutator.js';
import { ReservedIPValidator } from './reservedip.validator.js';

export const RESERVEDIP_WEBHOOK = Symbol('RESERVEDIP_WEBHOOK');

export function reservedIPWebhook(flags: FeatureFlags): KindWebhook {
  const mutator = new ReservedIPMutator();
  const validator = new ReservedIPValidator(flags);
  return {
    kind: 'SpiderReservedIP',
    resource: 'spiderreservedips',
    mutate: async (obj) => mutator.mutate(obj),
    validateCreate: (obj) => validator.validateCreate(obj),
    validateUpdate: (o, n) => validator.validateUpdate(o, n),
  };
}

@Module({
  providers: [{ provide: RESERVEDIP_WEBHOOK, inject: [APP_CONFIG], useFactory: reservedIPWebhook }],
  exports: [RESERVEDIP_WEBHOOK],
})
export class ReservedIPModule {}
