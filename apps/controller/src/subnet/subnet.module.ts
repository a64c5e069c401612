import type { KubeConfig } from '@kubernetes/client-node';
import { API_GROUP_VERSION } from '@spiderpool/crd-types';
import { LABEL_OWNER_SPIDER_SUBNET } from '@spiderpool/ipam-core';
import {
  Controller,
  deletionTimestampSet,
  generationChanged,
  Informer,
  KubeListWatchSource,
  labelsChanged,
  or,
  type ObjectKey,
  type RuntimeMetrics,
} from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import type { ObjectClient } from '../api-client/object-client.port.js';
import { ObjectClientApplicationLookup } from '../autopool/application.lookup.js';
import type { ControllerConfig } from '../config/schema.js';
import type { EventPort } from '../events/event.port.js';
import type { IPPoolManager } from '../ippool/ippool.manager.js';
import type { PoolObject, SubnetObject } from '../ippool/ippool.types.js';
import type { ControllerMetrics } from '../metrics/controller.metrics.js';
import { InformerRunnable } from '../multusconfig/index.js';
import type { SubnetManager } from './subnet.manager.js';
import { SubnetReconciler, type ThirdPartyAppWatch } from './subnet.reconciler.js';

/** Index of the subnet informer: subnets by `spec.subnet` (a pool with the same CIDR is adopted). */
export const SUBNETS_BY_CIDR = 'cidr';

export function subnetInformer(kubeConfig: KubeConfig, logger: Logger, config: ControllerConfig, metrics?: RuntimeMetrics): Informer<SubnetObject> {
  return new Informer<SubnetObject>({
    logger,
    ...(metrics ? { metrics } : {}),
    name: 'spidersubnets',
    source: new KubeListWatchSource(kubeConfig, { apiVersion: API_GROUP_VERSION, plural: 'spidersubnets' }),
    resyncPeriodMs: config.subnet.resyncPeriodMs,
    indexers: { [SUBNETS_BY_CIDR]: (s) => [s.spec.subnet] },
  });
}

/** Pool → the subnets it affects: its owner label, and every subnet of the same CIDR (adoption). */
export function poolToSubnets(subnets: { byIndex(index: string, value: string): SubnetObject[] }) {
  return (pool: PoolObject): ObjectKey[] => {
    const names = new Set<string>();
    const owner = pool.metadata.labels?.[LABEL_OWNER_SPIDER_SUBNET];
    if (owner) names.add(owner);
    for (const s of subnets.byIndex(SUBNETS_BY_CIDR, pool.spec.subnet)) names.add(s.metadata.name ?? '');
    return [...names].filter((n) => n !== '').map((name) => ({ name }));
  };
}

/** The SpiderSubnet controller (controller-and-chart.md §3.3): subnets primary, pools secondary. */
export function buildSubnetRunnable(deps: {
  subnets: Informer<SubnetObject>;
  pools: Informer<PoolObject>;
  client: ObjectClient;
  manager: SubnetManager;
  poolManager: IPPoolManager;
  events: EventPort;
  config: ControllerConfig;
  logger: Logger;
  metrics?: ControllerMetrics;
  runtimeMetrics?: RuntimeMetrics;
  thirdParty?: ThirdPartyAppWatch;
}): InformerRunnable {
  const reconciler = new SubnetReconciler(
    deps.subnets,
    deps.pools,
    deps.manager,
    deps.poolManager,
    new ObjectClientApplicationLookup(deps.client),
    deps.events,
    deps.metrics,
    deps.thirdParty,
  );
  const controller = new Controller({
    name: 'subnet',
    kind: 'SpiderSubnet',
    reconciler,
    logger: deps.logger,
    concurrency: deps.config.subnet.workers,
    maxRetries: deps.config.workqueue.maxRetries,
    ...(deps.runtimeMetrics ? { metrics: deps.runtimeMetrics } : {}),
  })
    .watchPrimary(deps.subnets)
    .watchSecondary(deps.pools, poolToSubnets(deps.subnets), { predicates: [or(generationChanged, labelsChanged, deletionTimestampSet)] });
  // Both informers are shared (auto-pool controllers read them) and started by `SharedInformers`.
  return new InformerRunnable(controller, []);
}
