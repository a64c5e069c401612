import { Module, type DynamicModule } from '@nestjs/common';
import type { KubeConfig } from '@kubernetes/client-node';
import { reservedIPSet } from '@spiderpool/ipam-core';
import {
  EventRecorder,
  Informer,
  keepAliveKubeConfig,
  KubeEventSink,
  KubeLeaseClient,
  KubeListWatchSource,
  LeaderElector,
  LeaderGate,
  runtimeMetrics,
  type KubeObject,
  type LeaseClient,
  type Runnable,
} from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { KubeObjectClient } from './api-client/kube-object.client.js';
import type { ObjectClient } from './api-client/object-client.port.js';
import { APP_CONFIG, type ControllerConfig } from './config/schema.js';
import { buildCoordinatorRunnable } from './coordinator/index.js';
import type { NodeObject, PodObject } from './gc/gc.types.js';
import { IpGc } from './gc/ip-gc.js';
import { LiveStaticValidity } from './gc/static-validity.js';
import { buildIPPoolRunnable, spiderInformers } from './ippool/ippool.module.js';
import { IPPoolManager } from './ippool/ippool.manager.js';
import type { EndpointObject } from './ippool/ippool.types.js';
import { SharedInformers } from './ippool/shared-informers.js';
import {
  CONTROLLER_METRICS,
  ControllerLifecycleService,
  LEADER_ELECTOR,
  LEADER_GATE,
  LEADER_SYNCED,
  LOGGER,
  RUNTIME_REGISTRY,
} from './lifecycle/controller-lifecycle.service.js';
import { ControllerMetrics } from './metrics/controller.metrics.js';
import { buildMultusConfigRunnable } from './multusconfig/index.js';
import { AutoPoolManager } from './autopool/autopool.manager.js';
import { buildAutoPoolRunnables } from './autopool/autopool.module.js';
import { ThirdPartyAppWatcher } from './autopool/third-party.watcher.js';
import { SubnetManager } from './subnet/subnet.manager.js';
import { buildSubnetRunnable, subnetInformer } from './subnet/subnet.module.js';

export interface ControllerDeps {
  readonly config: ControllerConfig;
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  /** Tests inject a fake or fault-injecting client. */
  readonly client?: ObjectClient;
  /** Tests inject a fault-injecting lease client (crash failover); default: the Lease in the pod namespace. */
  readonly leaseClient?: LeaseClient;
}

/** Everything leader-gated, built once; each leadership term starts and stops these runnables. */
export function buildLeaderRunnables(deps: ControllerDeps, metrics: ControllerMetrics, registry: Registry) {
  const { config, kubeConfig, logger } = deps;
  const rtMetrics = runtimeMetrics(registry);
  const client = deps.client ?? new KubeObjectClient(kubeConfig);
  const events = new EventRecorder({
    sink: new KubeEventSink(kubeConfig),
    reportingController: 'spiderpool.spidernet.io/spiderpool-controller',
    reportingInstance: config.podName,
    logger,
  });
  const informers = spiderInformers(kubeConfig, logger, config, rtMetrics);
  const manager = new IPPoolManager(client, metrics);
  const shared: Array<Informer<KubeObject>> = [informers.pools, informers.reservedIPs] as unknown as Array<
    Informer<KubeObject>
  >;
  const runnables: Runnable[] = [
    buildIPPoolRunnable({
      informers,
      client,
      manager,
      events,
      config,
      logger,
      metrics,
      runtimeMetrics: rtMetrics,
    }),
  ];
  let gc: IpGc | undefined;
  if (config.gc.enabled) {
    const common = { logger, metrics: rtMetrics };
    const mk = <T extends KubeObject>(name: string, apiVersion: string, plural: string) =>
      new Informer<T>({
        ...common,
        name,
        source: new KubeListWatchSource(kubeConfig, { apiVersion, plural }),
      });
    const pods = mk<PodObject>('pods', 'v1', 'pods');
    const nodes = mk<NodeObject>('nodes', 'v1', 'nodes');
    const endpoints = mk<EndpointObject>(
      'spiderendpoints',
      'spiderpool.spidernet.io/v2beta1',
      'spiderendpoints',
    );
    shared.push(...([pods, nodes, endpoints] as unknown as Array<Informer<KubeObject>>));
    gc = new IpGc(
      { pools: informers.pools, endpoints, pods, nodes },
      pods,
      client,
      manager,
      new LiveStaticValidity(client),
      {
        ...config.gc,
        enableStatefulSet: config.ipam.enableStatefulSet,
        enableKubevirtStaticIP: config.ipam.enableKubevirtStaticIP,
        confirmDelayMs: Math.max(config.gc.traceIntervalMs, config.gc.additionalGraceDelaySeconds * 1000),
      },
      logger.child({ controller: 'ip-gc' }),
      metrics,
    );
    runnables.push(gc);
  }
  let subnets: SubnetManager | undefined;
  if (config.ipam.enableSpiderSubnet) {
    subnets = new SubnetManager(client);
    const subnetInf = subnetInformer(kubeConfig, logger, config, rtMetrics);
    shared.push(subnetInf as unknown as Informer<KubeObject>);
    const autoPools = new AutoPoolManager(client, subnets, (family) =>
      reservedIPSet(informers.reservedIPs.list(), family),
    );
    const autoPoolsOn = config.ipam.enableAutoPoolForApplication;
    const thirdParty = autoPoolsOn
      ? new ThirdPartyAppWatcher(
          kubeConfig,
          autoPools,
          logger.child({ controller: 'third-party-apps' }),
          rtMetrics,
        )
      : undefined;
    runnables.push(
      buildSubnetRunnable({
        subnets: subnetInf,
        pools: informers.pools,
        client,
        manager: subnets,
        poolManager: manager,
        events,
        config,
        logger,
        metrics,
        runtimeMetrics: rtMetrics,
        ...(thirdParty ? { thirdParty } : {}),
      }),
    );
    if (thirdParty) {
      runnables.push(
        thirdParty,
        ...buildAutoPoolRunnables({
          kubeConfig,
          manager: autoPools,
          events,
          config,
          logger,
          runtimeMetrics: rtMetrics,
        }),
      );
    }
  }
  const sharedRunnable = new SharedInformers(shared);
  if (config.multusConfig.enabled) {
    runnables.push(
      buildMultusConfigRunnable({
        kubeConfig,
        logger,
        events,
        options: config.multusConfig,
        metrics: rtMetrics,
      }),
    );
  }
  if (config.coordinator.enabled) {
    runnables.push(
      buildCoordinatorRunnable({
        kubeConfig,
        logger,
        events,
        options: config.coordinator,
        metrics: rtMetrics,
      }),
    );
  }
  const all: Runnable[] = [sharedRunnable, ...runnables];
  const synced = (): boolean => sharedRunnable.hasSynced();
  return { runnables: all, synced, gc, manager, subnets, client, informers };
}

/** Root module: config, leader election and every leader-gated loop (house style §2, §14). */
@Module({})
export class AppModule {
  static register(input: ControllerDeps): DynamicModule {
    // Every client (object client, informers, coordinator/NAD managers, events, lease) shares one connection pool;
    // idempotent when main.ts already wrapped the config.
    const deps: ControllerDeps = { ...input, kubeConfig: keepAliveKubeConfig(input.kubeConfig) };
    const metrics = new ControllerMetrics();
    const registry = new Registry();
    const built = buildLeaderRunnables(deps, metrics, registry);
    const gate = new LeaderGate(built.runnables, deps.logger);
    const elector = new LeaderElector({
      leaseName: `${deps.config.podNamespace}/${deps.config.leader.leaseName}`,
      identity: deps.config.podName,
      client:
        deps.leaseClient ??
        new KubeLeaseClient(deps.kubeConfig, deps.config.podNamespace, deps.config.leader.leaseName),
      timing: deps.config.leader.timing,
      callbacks: gate,
      logger: deps.logger,
      metrics: runtimeMetrics(registry),
    });
    return {
      module: AppModule,
      providers: [
        { provide: APP_CONFIG, useValue: deps.config },
        { provide: LOGGER, useValue: deps.logger },
        { provide: CONTROLLER_METRICS, useValue: metrics },
        { provide: RUNTIME_REGISTRY, useValue: registry },
        { provide: LEADER_GATE, useValue: gate },
        { provide: LEADER_ELECTOR, useValue: elector },
        { provide: LEADER_SYNCED, useValue: built.synced },
        ControllerLifecycleService,
      ],
      exports: [LEADER_ELECTOR, LEADER_GATE],
    };
  }
}
