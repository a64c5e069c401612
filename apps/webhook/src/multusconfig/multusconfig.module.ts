import { Module } from '@nestjs/common';
import type { KindWebhook } from '../admission/kind-webhook.js';
import { CLUSTER_READER, type ClusterReader } from '../cluster/cluster-reader.port.js';
import { MultusConfigMutator } from './multusconfig.mutator.js';
import { MultusConfigValidator } from './multusconfig.validator.js';

export const MULTUSCONFIG_WEBHOOK = Symbol('MULTUSCONFIG_WEBHOOK');

export function multusConfigWebhook(reader: ClusterReader): KindWebhook {
  const mutator = new MultusConfigMutator();
  const validator = new MultusConfigValidator(reader);
  return {
    kind: 'SpiderMultusConfig',
    resource: 'spidermultusconfigs',
    mutate: async (obj) => mutator.mutate(obj),
    validateCreate: (obj) => validator.validateCreate(obj),
    validateUpdate: (o, n) => validator.validateUpdate(o, n),
  };
}

@Module({
  providers: [{ provide: MULTUSCONFIG_WEBHOOK, inject: [CLUSTER_READER], useFactory: multusConfigWebhook }],
  exports: [MULTUSCONFIG_WEBHOOK],
})
export class MultusConfigModule {}
