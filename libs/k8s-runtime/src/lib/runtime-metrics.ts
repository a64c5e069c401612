import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Buckets used by every `spiderpool_*` histogram (controller-and-chart spec §4.1). */
export const SPIDERPOOL_HISTOGRAM_BUCKETS = [0.1, 0.3, 0.5, 1, 3, 5, 7, 10, 15];

/**
 * The fixed set of informer lifecycle events, emitted both as the counter
 * `spiderpool_informer_lifecycle_events_total{informer,event}` and as a log line with `event=<name>`.
 */
export const INFORMER_EVENTS = [
  'connected',
  'relisted',
  'resource-version-expired',
  'watch-error',
  'gave-up',
] as const;
export type InformerEvent = (typeof INFORMER_EVENTS)[number];

/** Reconcile outcomes counted per controller. */
export const RECONCILE_RESULTS = ['success', 'requeue', 'error', 'terminal', 'gave-up'] as const;
export type ReconcileOutcome = (typeof RECONCILE_RESULTS)[number];

/**
 * All runtime instruments, registered once per prom-client registry. Labels are bounded: the controller name,
 * the informer name, and the enumerations above — never object names.
 */
export class RuntimeMetrics {
  readonly queueDepth: Gauge<'controller'>;
  readonly queueAdds: Counter<'controller'>;
  readonly queueRetries: Counter<'controller'>;
  readonly workDuration: Histogram<'controller'>;
  readonly reconciles: Counter<'controller' | 'result'>;
  readonly informerEvents: Counter<'informer' | 'event'>;
  readonly informerSynced: Gauge<'informer'>;
  readonly leader: Gauge<'lease'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.queueDepth = new Gauge({
      name: 'spiderpool_workqueue_depth',
      help: 'Keys waiting in the work queue (not counting in-flight or delayed keys).',
      labelNames: ['controller'],
      registers,
    });
    this.queueAdds = new Counter({
      name: 'spiderpool_workqueue_adds_total',
      help: 'Keys added to the work queue (after de-duplication).',
      labelNames: ['controller'],
      registers,
    });
    this.queueRetries = new Counter({
      name: 'spiderpool_workqueue_retries_total',
      help: 'Rate-limited re-adds after a failed reconcile.',
      labelNames: ['controller'],
      registers,
    });
    this.workDuration = new Histogram({
      name: 'spiderpool_workqueue_work_duration_seconds',
      help: 'Time spent in one reconcile call.',
      labelNames: ['controller'],
      buckets: SPIDERPOOL_HISTOGRAM_BUCKETS,
      registers,
    });
    this.reconciles = new Counter({
      name: 'spiderpool_controller_reconciles_total',
      help: 'Reconcile calls by outcome.',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.informerEvents = new Counter({
      name: 'spiderpool_informer_lifecycle_events_total',
      help: `Informer lifecycle events (${INFORMER_EVENTS.join(', ')}).`,
      labelNames: ['informer', 'event'],
      registers,
    });
    this.informerSynced = new Gauge({
      name: 'spiderpool_informer_synced',
      help: '1 once the informer finished its initial list, 0 before and after stop.',
      labelNames: ['informer'],
      registers,
    });
    this.leader = new Gauge({
      name: 'spiderpool_leader_election_is_leader',
      help: '1 while this replica holds the lease.',
      labelNames: ['lease'],
      registers,
    });
  }
}

const byRegistry = new WeakMap<Registry, RuntimeMetrics>();

/** The runtime instruments of `registry`, created on first use (metric names are unique per registry). */
export function runtimeMetrics(registry: Registry = new Registry()): RuntimeMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = new RuntimeMetrics(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
