import { Module } from '@nestjs/common';
import type { KindWebhook } from '../admission/kind-webhook.js';
import { CoordinatorMutator } from './coordinator.mutator.js';
import { CoordinatorValidator } from './coordinator.validator.js';

export const COORDINATOR_WEBHOOK = Symbol('COORDINATOR_WEBHOOK');

export function coordinatorWebhook(): KindWebhook {
  const mutator = new CoordinatorMutator();
  const validator = new CoordinatorValidator();
  return {
    kind: 'SpiderCoordinator',
    resource: 'spidercoordinators',
    mutate: async (obj) => mutator.mutate(obj),
    validateCreate: (obj) => validator.validateCreate(obj),
    validateUpdate: (o, n) => validator.validateUpdate(o, n),
  };
}

@Module({
  providers: [{ provide: COORDINATOR_WEBHOOK, useFactory: coordinatorWebhook }],
  exports: [COORDINATOR_WEBHOOK],
})
export class CoordinatorModule {}
