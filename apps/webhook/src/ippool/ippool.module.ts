import { Module } from '@nestjs/common';
import type { KindWebhook } from '../admission/kind-webhook.js';
import { CLUSTER_READER, type ClusterReader } from '../cluster/cluster-reader.port.js';
import { IPPOOL_INDEX, type IPPoolIndex } from '../cluster/ippool-index.port.js';
import { APP_CONFIG, type FeatureFlags } from '../config/schema.js';
import { IPPoolMutator } from './ippool.mutator.js';
import { IPPoolValidator } from './ippool.validator.js';

export const IPPOOL_WEBHOOK = Symbol('IPPOOL_WEBHOOK');

export function ippoolWebhook(reader: ClusterReader, flags: FeatureFlags, index: IPPoolIndex | null = null): KindWebhook {
  const mutator = new IPPoolMutator(reader, flags);
  const validator = new IPPoolValidator(reader, flags, index);
  return {
    kind: 'SpiderIPPool',
    resource: 'spiderippools',
    mutate: (obj, ctx) => mutator.mutate(obj, ctx.log),
    validateCreate: (obj) => validator.validateCreate(obj),
    validateUpdate: (o, n) => validator.validateUpdate(o, n),
    validateDelete: (o) => validator.validateDelete(o),
  };
}

@Module({
  providers: [{ provide: IPPOOL_WEBHOOK, inject: [CLUSTER_READER, APP_CONFIG, IPPOOL_INDEX], useFactory: ippoolWebhook }],
  exports: [IPPOOL_WEBHOOK],
})
export class IPPoolModule {}
