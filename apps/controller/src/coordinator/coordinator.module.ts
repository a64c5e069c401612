import { Module, type DynamicModule } from '@nestjs/common';
import type { KubeConfig } from '@kubernetes/client-node';
import { API_GROUP_VERSION } from '@spiderpool/crd-types';
import {
  Controller,
  Informer,
  KubeListWatchSource,
  resourceVersionChanged,
  type KubeObject,
  type Runnable,
  type RuntimeMetrics,
} from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import { InformerRunnable } from '../multusconfig/informer-runnable.js';
import type { CoordinatorOptions } from './coordinator.config.js';
import {
  KubeCoordinatorClusterReader,
  KubeCoordinatorManager,
  type CoordinatorClusterReader,
  type CoordinatorManager,
} from './coordinator.manager.js';
import { CoordinatorReconciler, type CoordinatorEventPort } from './coordinator.reconciler.js';

/** Leader-only runnables of this module (empty when the coordinator is disabled). */
export const COORDINATOR_RUNNABLES = Symbol('COORDINATOR_RUNNABLES');

export interface CoordinatorDeps {
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  readonly events: CoordinatorEventPort;
  readonly options: CoordinatorOptions;
  readonly metrics?: RuntimeMetrics;
  /** Overrides for tests; default: live client-node implementations. */
  readonly coordinators?: CoordinatorManager;
  readonly reader?: CoordinatorClusterReader;
}

/**
 * The coordinator controller: the default SpiderCoordinator is the only primary key; the kubeadm-config and
 * Cilium ConfigMaps and the kube-controller-manager pods are watched (narrowed by name/label, not every
 * ConfigMap of the cluster) and all map to that key.
 */
export function buildCoordinatorRunnable(deps: CoordinatorDeps): InformerRunnable {
  const { options } = deps;
  const common = { logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) };
  const byName = (name: string) => ({ fieldSelector: `metadata.name=${name}` });
  const coordinators = new Informer<KubeObject>({
    ...common,
    name: 'spidercoordinators',
    source: new KubeListWatchSource(deps.kubeConfig, { apiVersion: API_GROUP_VERSION, plural: 'spidercoordinators' }, byName(options.name)),
  });
  const kubeadm = new Informer<KubeObject>({
    ...common,
    name: 'configmaps-kubeadm-config',
    source: new KubeListWatchSource(deps.kubeConfig, { apiVersion: 'v1', plural: 'configmaps', namespace: 'kube-system' }, byName('kubeadm-config')),
  });
  const cilium = new Informer<KubeObject>({
    ...common,
    name: 'configmaps-cilium-config',
    source: new KubeListWatchSource(
      deps.kubeConfig,
      { apiVersion: 'v1', plural: 'configmaps', namespace: options.ciliumConfigMap.namespace },
      byName(options.ciliumConfigMap.name),
    ),
  });
  const kcm = new Informer<KubeObject>({
    ...common,
    name: 'pods-kube-controller-manager',
    source: new KubeListWatchSource(deps.kubeConfig, { apiVersion: 'v1', plural: 'pods' }, { labelSelector: 'component=kube-controller-manager' }),
  });
  const reconciler = new CoordinatorReconciler(
    options,
    deps.coordinators ?? new KubeCoordinatorManager(deps.kubeConfig),
    deps.reader ?? new KubeCoordinatorClusterReader(deps.kubeConfig, options.cniConfigDir),
    deps.events,
  );
  const toDefault = () => [{ name: options.name }];
  const changed = { predicates: [resourceVersionChanged] };
  const controller = new Controller({ ...common, name: 'coordinator', kind: 'SpiderCoordinator', reconciler })
    .watchPrimary(coordinators, changed)
    .watchSecondary(kubeadm, toDefault, changed)
    .watchSecondary(cilium, toDefault, changed)
    .watchSecondary(kcm, toDefault, changed);
  // The default coordinator may not exist yet: enqueue its key once per term so it gets created.
  return new InformerRunnable(controller, [coordinators, kubeadm, cilium, kcm], () => controller.enqueue({ name: options.name }));
}

/**
 * SpiderCoordinator controller (leader-gated). The app imports `CoordinatorModule.register(deps)` and hands the
 * `COORDINATOR_RUNNABLES` to its `LeaderGate`.
 */
@Module({})
export class CoordinatorModule {
  static register(deps: CoordinatorDeps): DynamicModule {
    return {
      module: CoordinatorModule,
      providers: [
        {
          provide: COORDINATOR_RUNNABLES,
          useFactory: (): Runnable[] => (deps.options.enabled ? [buildCoordinatorRunnable(deps)] : []),
        },
      ],
      exports: [COORDINATOR_RUNNABLES],
    };
  }
}
