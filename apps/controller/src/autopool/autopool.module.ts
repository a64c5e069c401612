import type { KubeConfig } from '@kubernetes/client-node';
import { Controller, Informer, KubeListWatchSource, type Runnable, type RuntimeMetrics } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import { WORKLOAD_KINDS } from '../api-client/resource-kinds.js';
import type { ControllerConfig } from '../config/schema.js';
import type { EventPort } from '../events/event.port.js';
import { InformerRunnable } from '../multusconfig/index.js';
import type { AutoPoolManager } from './autopool.manager.js';
import { AutoPoolReconciler } from './autopool.reconciler.js';
import { autoPoolInputsChanged, type WorkloadObject } from './workload.js';


/** One leader-gated controller per workload kind (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob). */
export function buildAutoPoolRunnables(deps: {
  kubeConfig: KubeConfig;
  manager: AutoPoolManager;
  events: EventPort;
  config: ControllerConfig;
  logger: Logger;
  runtimeMetrics?: RuntimeMetrics;
}): Runnable[] {
  const { config } = deps;
  return WORKLOAD_KINDS.map((kind) => {
    const informer = new Informer<WorkloadObject>({
      name: kind.plural,
      logger: deps.logger,
      ...(deps.runtimeMetrics ? { metrics: deps.runtimeMetrics } : {}),
      source: new KubeListWatchSource(deps.kubeConfig, { apiVersion: kind.apiVersion, plural: kind.plural }),
      resyncPeriodMs: config.subnet.resyncPeriodMs,
    });
    const reconciler = new AutoPoolReconciler(kind, informer, deps.manager, deps.events, {
      enableIPv4: config.ipam.enableIPv4,
      enableIPv6: config.ipam.enableIPv6,
      defaultRedundant: config.ipam.defaultRedundantIPNumber,
    });
    const controller = new Controller({
      name: `autopool-${kind.kind.toLowerCase()}`,
      kind: kind.kind,
      reconciler,
      logger: deps.logger,
      concurrency: config.subnet.appWorkers,
      maxRetries: config.workqueue.maxRetries,
      ...(deps.runtimeMetrics ? { metrics: deps.runtimeMetrics } : {}),
    });
    const changed = autoPoolInputsChanged(kind.kind);
    // Periodic resyncs re-deliver the same object: let them through (level-based repair), filter real updates.
    controller.watchPrimary(informer, { predicates: [(o, n) => o === n || changed(o, n)] });
    return new InformerRunnable(controller, [informer as never]);
  });
}
