import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.port.js';
import { TerminalError } from './errors.js';
import type { Informer } from './informer.js';
import { LOG_FIELDS } from './log-fields.js';
import { formatKey, keyOf, parseKey, type KubeObject, type ObjectKey } from './object-key.js';
import { and, type Predicate } from './predicates.js';
import type { Reconciler } from './reconciler.port.js';
import {
  runtimeMetrics,
  type ReconcileOutcome as ResultLabel,
  type RuntimeMetrics,
} from './runtime-metrics.js';
import { WorkQueue, type BackoffPolicy } from './work-queue.js';

/** Maps an object of a watched (secondary) kind to the primary keys it affects, e.g. Pod → owning pool. */
export type KeyMapper<T extends KubeObject> = (obj: T) => readonly ObjectKey[];

export interface WatchOptions<T extends KubeObject> {
  /** Update filters, AND-ed; adds and deletes always pass. */
  predicates?: Predicate<T>[];
}

export interface ControllerOptions {
  /** Controller name: metric label and `controller` log field, e.g. `ippool`. */
  name: string;
  /** Primary kind, for the `kind` log field, e.g. `SpiderIPPool`. */
  kind: string;
  reconciler: Reconciler;
  logger: Logger;
  /** Parallel workers (distinct keys only). Default 1. */
  concurrency?: number;
  backoff?: BackoffPolicy;
  /** Failed attempts per key after which the key is dropped (until its next event). Default: never. */
  maxRetries?: number;
  /** Called once per TerminalError; the app records it as a status condition and an Event. */
  onTerminal?: (key: ObjectKey, err: TerminalError) => Promise<void> | void;
  clock?: Clock;
  metrics?: RuntimeMetrics;
  newReconcileId?: () => string;
  /**
   * Upper bound of a graceful `stop({ drain: true })`: past it, in-flight reconciles see `ctx.signal` abort and the
   * rest of the queue is dropped (level-based: the next leader re-lists everything). Default 10 s, well inside a
   * pod's termination grace period.
   */
  drainTimeoutMs?: number;
}

interface Source {
  /** The parts of a watched informer the controller needs regardless of its object type. */
  informer: Pick<Informer<KubeObject>, 'hasSynced' | 'waitForSync'>;
  subscribe(): () => void;
}

/**
 * Wires informer(s) → predicates → keyed queue → reconciler. Construction and `watch*` calls are inert;
 * `start()` subscribes, waits for the informers to sync, enqueues every primary object (level-based: nothing
 * missed while stopped), and runs the workers. `stop()` unsubscribes and shuts the queue down. A controller
 * can be started again after `stop()` (leadership regained); each run gets a fresh queue.
 */
export class Controller {
  private readonly clock: Clock;
  private readonly metrics: RuntimeMetrics;
  private readonly log: Logger;
  private readonly sources: Source[] = [];
  private primary: Pick<Informer<KubeObject>, 'keys'> | undefined;
  private queue: WorkQueue | undefined;
  private workers: Promise<void>[] = [];
  private unsubscribes: Array<() => void> = [];
  private abort = new AbortController();
  private running = false;

  constructor(private readonly options: ControllerOptions) {
    this.clock = options.clock ?? systemClock;
    this.metrics = options.metrics ?? runtimeMetrics();
    this.log = options.logger.child({
      [LOG_FIELDS.controller]: options.name,
      [LOG_FIELDS.kind]: options.kind,
    });
  }

  get name(): string {
    return this.options.name;
  }

  /** Watch the primary kind: each event enqueues the object's own key. */
  watchPrimary<T extends KubeObject>(informer: Informer<T>, options: WatchOptions<T> = {}): this {
    this.primary = informer;
    return this.watchSecondary(informer, (obj) => [keyOf(obj)], options);
  }

  /** Watch another kind and map its objects to primary keys (old and new object on updates). */
  watchSecondary<T extends KubeObject>(
    informer: Informer<T>,
    map: KeyMapper<T>,
    options: WatchOptions<T> = {},
  ): this {
    const pass = options.predicates?.length ? and(...options.predicates) : undefined;
    const enqueueAll = (keys: readonly ObjectKey[]): void => {
      for (const key of new Set(keys.map(formatKey))) this.queue?.add(key);
    };
    this.sources.push({
      informer,
      subscribe: () =>
        informer.on({
          add: (obj) => enqueueAll(map(obj)),
          update: (oldObj, newObj) => {
            if (pass && !pass(oldObj, newObj)) return;
            enqueueAll([...map(oldObj), ...map(newObj)]);
          },
          delete: (obj) => enqueueAll(map(obj)),
        }),
    });
    return this;
  }

  /** Enqueue a key directly (e.g. from a periodic trigger). Ignored while stopped. */
  enqueue(key: ObjectKey): void {
    this.queue?.add(formatKey(key));
  }

  isRunning(): boolean {
    return this.running;
  }

  /** All watched informers have synced (readiness). */
  hasSynced(): boolean {
    return this.sources.every((s) => s.informer.hasSynced());
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    const queue = new WorkQueue({
      name: this.name,
      clock: this.clock,
      metrics: this.metrics,
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
    });
    this.queue = queue;
    this.unsubscribes = this.sources.map((s) => s.subscribe());
    await Promise.all(this.sources.map((s) => s.informer.waitForSync()));
    if (!this.running || this.queue !== queue) return; // stopped while waiting
    for (const key of this.primary?.keys() ?? []) queue.add(key);
    const concurrency = Math.max(1, this.options.concurrency ?? 1);
    this.workers = Array.from({ length: concurrency }, () => this.work(queue));
    this.log.info({ concurrency }, 'controller started');
  }

  /** Stop: `drain: true` finishes queued and in-flight keys; `drain: false` aborts `ctx.signal` and drops the queue. */
  async stop(options: { drain: boolean } = { drain: true }): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    if (!options.drain) this.abort.abort();
    const queue = this.queue;
    this.queue = undefined;
    const stopped = queue?.shutdown(options);
    let timedOut = false;
    const deadline =
      options.drain && queue
        ? this.clock.setTimer(() => {
            timedOut = true;
            this.abort.abort();
            void queue.shutdown({ drain: false });
          }, this.options.drainTimeoutMs ?? 10_000)
        : undefined;
    await stopped;
    deadline?.cancel();
    await Promise.all(this.workers.splice(0));
    if (timedOut) this.log.warn({ drainTimeoutMs: this.options.drainTimeoutMs ?? 10_000 }, 'drain timed out: in-flight reconciles aborted, queued keys dropped');
    this.log.info({ drain: options.drain }, 'controller stopped');
  }

  private async work(queue: WorkQueue): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await this.process(queue, key);
      } finally {
        queue.done(key);
      }
    }
  }

  private async process(queue: WorkQueue, key: string): Promise<void> {
    const objectKey = parseKey(key);
    const reconcileId = (this.options.newReconcileId ?? randomUUID)();
    const log = this.log.child({
      [LOG_FIELDS.namespace]: objectKey.namespace,
      [LOG_FIELDS.name]: objectKey.name,
      [LOG_FIELDS.reconcileId]: reconcileId,
    });
    const retries = queue.numRequeues(key);
    const started = this.clock.now();
    let result: ResultLabel;
    try {
      const outcome = await this.options.reconciler.reconcile(objectKey, {
        log,
        reconcileId,
        signal: this.abort.signal,
        retries,
      });
      queue.forget(key);
      const after = outcome?.requeueAfterMs ?? 0;
      if (after > 0) {
        queue.addAfter(key, after);
        result = 'requeue';
      } else {
        result = 'success';
      }
      log.debug(
        { [LOG_FIELDS.durationMs]: this.clock.now() - started, requeueAfterMs: after || undefined },
        'reconciled',
      );
    } catch (err) {
      result = this.handleFailure(queue, key, err, log);
      if (result === 'terminal') await this.reportTerminal(objectKey, err as TerminalError, log);
    } finally {
      this.metrics.workDuration.observe({ controller: this.name }, (this.clock.now() - started) / 1000);
    }
    this.metrics.reconciles.inc({ controller: this.name, result });
  }

  private handleFailure(queue: WorkQueue, key: string, err: unknown, log: Logger): ResultLabel {
    if (err instanceof TerminalError) {
      queue.forget(key);
      log.error({ [LOG_FIELDS.reason]: err.reason, [LOG_FIELDS.err]: err }, 'reconcile failed permanently');
      return 'terminal';
    }
    const attempt = queue.numRequeues(key) + 1;
    const max = this.options.maxRetries;
    if (max !== undefined && attempt > max) {
      queue.forget(key);
      log.error(
        { [LOG_FIELDS.attempt]: attempt, [LOG_FIELDS.err]: err },
        'reconcile retries exhausted, dropping key',
      );
      return 'gave-up';
    }
    if (!queue.isShuttingDown()) {
      const delayMs = queue.addRateLimited(key);
      log.warn(
        { [LOG_FIELDS.attempt]: attempt, [LOG_FIELDS.delayMs]: delayMs, [LOG_FIELDS.err]: err },
        'reconcile failed, retrying',
      );
    }
    return 'error';
  }

  private async reportTerminal(key: ObjectKey, err: TerminalError, log: Logger): Promise<void> {
    try {
      await this.options.onTerminal?.(key, err);
    } catch (hookErr) {
      log.error({ [LOG_FIELDS.err]: hookErr }, 'onTerminal hook failed');
    }
  }
}

/** Map an object to its controlling owner of `kind` (same namespace), e.g. Pod → owning StatefulSet. */
export function mapToControllerOwner<T extends KubeObject>(kind: string): KeyMapper<T> {
  return (obj) => {
    const owner = obj.metadata?.ownerReferences?.find((o) => o.controller && o.kind === kind);
    if (!owner) return [];
    const namespace = obj.metadata?.namespace;
    return [namespace ? { namespace, name: owner.name } : { name: owner.name }];
  };
}

/** Map an object to the cluster-scoped primary named by one of its labels, e.g. IPPool → owning SpiderSubnet. */
export function mapFromLabel<T extends KubeObject>(
  label: string,
  options: { namespaced?: boolean } = {},
): KeyMapper<T> {
  return (obj) => {
    const name = obj.metadata?.labels?.[label];
    if (!name) return [];
    const namespace = options.namespaced ? obj.metadata?.namespace : undefined;
    return [namespace ? { namespace, name } : { name }];
  };
}
