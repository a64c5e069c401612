import { Module, type DynamicModule } from '@nestjs/common';
import type { KubeConfig } from '@kubernetes/client-node';
import { API_GROUP_VERSION, NAD_API_GROUP_VERSION } from '@spiderpool/crd-types';
import {
  Controller,
  Informer,
  KubeListWatchSource,
  mapToControllerOwner,
  resourceVersionChanged,
  type KubeObject,
  type Runnable,
  type RuntimeMetrics,
} from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import { InformerRunnable } from './informer-runnable.js';
import type { MultusConfigOptions } from './multusconfig.config.js';
import { MultusConfigReconciler, type EventPort } from './multusconfig.reconciler.js';
import { KubeNadManager, NAD_PLURAL, type NadManager } from './nad.manager.js';

/** Leader-only runnables of this module (empty when SpiderMultusConfig support is disabled). */
export const MULTUSCONFIG_RUNNABLES = Symbol('MULTUSCONFIG_RUNNABLES');

export interface MultusConfigDeps {
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  readonly events: EventPort;
  readonly options: MultusConfigOptions;
  readonly metrics?: RuntimeMetrics;
  /** Override for tests; default: live client-node manager. */
  readonly nads?: NadManager;
}

/** Builds the SMC controller: SMC informer (primary) + NAD informer (mapped to the controlling SMC). */
export function buildMultusConfigRunnable(deps: MultusConfigDeps): InformerRunnable {
  const common = { logger: deps.logger, ...(deps.metrics ? { metrics: deps.metrics } : {}) };
  const smcs = new Informer<KubeObject>({
    ...common,
    name: 'spidermultusconfigs',
    source: new KubeListWatchSource(deps.kubeConfig, { apiVersion: API_GROUP_VERSION, plural: 'spidermultusconfigs' }),
    resyncPeriodMs: deps.options.resyncPeriodMs,
  });
  const nads = new Informer<KubeObject>({
    ...common,
    name: 'network-attachment-definitions',
    source: new KubeListWatchSource(deps.kubeConfig, { apiVersion: NAD_API_GROUP_VERSION, plural: NAD_PLURAL }),
  });
  const reconciler = new MultusConfigReconciler(smcs, deps.nads ?? new KubeNadManager(deps.kubeConfig), deps.events);
  const controller = new Controller({ ...common, name: 'multusconfig', kind: 'SpiderMultusConfig', reconciler })
    .watchPrimary(smcs)
    // NADs are watched too (upstream only repairs on the SMC resync): an edited or deleted NAD is repaired at once.
    .watchSecondary(nads, mapToControllerOwner('SpiderMultusConfig'), { predicates: [resourceVersionChanged] });
  return new InformerRunnable(controller, [smcs, nads]);
}

/**
 * SpiderMultusConfig → NetworkAttachmentDefinition controller (leader-gated). The app imports
 * `MultusConfigModule.register(deps)` and hands the `MULTUSCONFIG_RUNNABLES` to its `LeaderGate`.
 */
@Module({})
export class MultusConfigModule {
  static register(deps: MultusConfigDeps): DynamicModule {
    return {
      module: MultusConfigModule,
      providers: [
        {
          provide: MULTUSCONFIG_RUNNABLES,
          useFactory: (): Runnable[] => (deps.options.enabled ? [buildMultusConfigRunnable(deps)] : []),
        },
      ],
      exports: [MULTUSCONFIG_RUNNABLES],
    };
  }
}
