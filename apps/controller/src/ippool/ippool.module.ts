import { API_GROUP_VERSION } from '@spiderpool/crd-types';
import { Controller, Informer, KubeListWatchSource, labelIndex, type RuntimeMetrics } from '@spiderpool/k8s-runtime';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ObjectClient } from '../api-client/object-client.port.js';
import { ObjectClientApplicationLookup } from '../autopool/application.lookup.js';
import type { ControllerConfig } from '../config/schema.js';
import type { EventPort } from '../events/event.port.js';
import type { ControllerMetrics } from '../metrics/controller.metrics.js';
import { InformerRunnable } from '../multusconfig/index.js';
import { IPPoolManager } from './ippool.manager.js';
import { IPPoolReconciler } from './ippool.reconciler.js';
import type { PoolObject, ReservedIPObject } from './ippool.types.js';

export interface SpiderInformers {
  readonly pools: Informer<PoolObject>;
  readonly reservedIPs: Informer<ReservedIPObject>;
}

export function spiderInformers(kubeConfig: KubeConfig, logger: Logger, config: ControllerConfig, metrics?: RuntimeMetrics): SpiderInformers {
  const common = { logger, ...(metrics ? { metrics } : {}) };
  return {
    pools: new Informer<PoolObject>({
      ...common,
      name: 'spiderippools',
      source: new KubeListWatchSource(kubeConfig, { apiVersion: API_GROUP_VERSION, plural: 'spiderippools' }),
      resyncPeriodMs: config.ippool.resyncPeriodMs,
      indexers: { subnet: labelIndex('ipam.spidernet.io/owner-spider-subnet') },
    }),
    reservedIPs: new Informer<ReservedIPObject>({
      ...common,
      name: 'spiderreservedips',
      source: new KubeListWatchSource(kubeConfig, { apiVersion: API_GROUP_VERSION, plural: 'spiderreservedips' }),
    }),
  };
}

/** The SpiderIPPool controller: pools are primary; a reserved-IP change re-checks every pool. */
export function buildIPPoolRunnable(deps: {
  informers: SpiderInformers;
  client: ObjectClient;
  manager: IPPoolManager;
  events: EventPort;
  config: ControllerConfig;
  logger: Logger;
  metrics?: ControllerMetrics;
  runtimeMetrics?: RuntimeMetrics;
}): InformerRunnable {
  const { informers, config } = deps;
  const reconciler = new IPPoolReconciler(
    informers.pools,
    informers.reservedIPs,
    deps.manager,
    new ObjectClientApplicationLookup(deps.client),
    deps.events,
    { autoPoolBackstop: config.ipam.enableSpiderSubnet && config.ipam.enableAutoPoolForApplication },
    deps.metrics,
  );
  const controller = new Controller({
    name: 'ippool',
    kind: 'SpiderIPPool',
    reconciler,
    logger: deps.logger,
    concurrency: config.ippool.workers,
    maxRetries: config.workqueue.maxRetries,
    ...(deps.runtimeMetrics ? { metrics: deps.runtimeMetrics } : {}),
  })
    .watchPrimary(informers.pools)
    .watchSecondary(informers.reservedIPs, () => informers.pools.keys().map((name) => ({ name })));
  // The informers are shared (GC, subnets) and started by `SharedInformers`, not by this runnable.
  return new InformerRunnable(controller, []);
}
