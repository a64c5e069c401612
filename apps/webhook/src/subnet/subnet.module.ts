import { Module } from '@nestjs/common';
import { forbidden } from '../admission/denial.js';
import type { KindWebhook } from '../admission/kind-webhook.js';
import { CLUSTER_READER, type ClusterReader } from '../cluster/cluster-reader.port.js';
import { APP_CONFIG, type FeatureFlags } from '../config/schema.js';
import { SubnetMutator } from './subnet.mutator.js';
import { SubnetValidator } from './subnet.validator.js';

export const SUBNET_WEBHOOK = Symbol('SUBNET_WEBHOOK');

export function subnetWebhook(reader: ClusterReader, flags: FeatureFlags): KindWebhook {
  const mutator = new SubnetMutator();
  const validator = new SubnetValidator(reader, flags);
  return {
    kind: 'SpiderSubnet',
    resource: 'spidersubnets',
    mutate: async (obj) => mutator.mutate(obj),
    validateCreate: (obj) => validator.validateCreate(obj),
    validateUpdate: (o, n) => validator.validateUpdate(o, n),
    validateDelete: (o) => validator.validateDelete(o),
  };
}

@Module({
  providers: [{ provide: SUBNET_WEBHOOK, inject: [CLUSTER_READER, APP_CONFIG], useFactory: subnetWebhook }],
  exports: [SUBNET_WEBHOOK],
})
export class SubnetModule {}

/**
 * Served instead when `enableSpiderSubnet` is false. The configuration entry is always installed (§5.6), and
 * upstream then answers 404, so writes fail with an opaque webhook error; we deny with a readable 403
 * (compat.md). Mutation stays a no-op; DELETE is allowed so leftovers can be cleaned up.
 */
export function subnetDisabledWebhook(): KindWebhook {
  const denial = async () => forbidden('the SpiderSubnet feature is disabled (enableSpiderSubnet=false)');
  return {
    kind: 'SpiderSubnet',
    resource: 'spidersubnets',
    validateCreate: denial,
    validateUpdate: denial,
  };
}
