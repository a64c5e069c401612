import type { Logger } from 'pino';
import { sleep, systemClock, type Clock, type Timer } from './clock.port.js';
import { InformerGaveUpError, InformerStoppedError } from './errors.js';
import { httpStatusOf, type ListWatchSource, type WatchEvent, type WatchHandle } from './list-watch.port.js';
import { LOG_FIELDS } from './log-fields.js';
import { ObjectCache, type CacheReader, type IndexFunc } from './object-cache.js';
import { stringKeyOf, type KubeObject, type ObjectKey } from './object-key.js';
import { runtimeMetrics, type InformerEvent, type RuntimeMetrics } from './runtime-metrics.js';
import { backoffDelay, type BackoffPolicy } from './work-queue.js';

export interface InformerHandlers<T extends KubeObject> {
  add?(obj: T): void;
  /** Also called for periodic resyncs, with `oldObj === newObj`. */
  update?(oldObj: T, newObj: T): void;
  /** Receives the last known state of the object. */
  delete?(obj: T): void;
}

export interface InformerOptions<T extends KubeObject> {
  /** Bounded identifier used as metric label and log field, e.g. `spiderippools`. */
  name: string;
  source: ListWatchSource<T>;
  logger: Logger;
  clock?: Clock;
  metrics?: RuntimeMetrics;
  indexers?: Readonly<Record<string, IndexFunc<T>>>;
  /** Delay between attempts after list/watch failures. Default 1 s doubling to 30 s. */
  backoff?: BackoffPolicy;
  /** Consecutive list/watch failures after which the informer emits `gave-up` and stops. Default: never. */
  maxConsecutiveFailures?: number;
  /** Re-deliver every cached object as an update this often (0 = never). */
  resyncPeriodMs?: number;
}

const DEFAULT_INFORMER_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 30_000 };

type WatchOutcome = { kind: 'closed' } | { kind: 'expired' } | { kind: 'failed'; err: unknown };

/**
 * List + watch with a local indexed cache.
 *
 * - Initial list fills the cache (`hasSynced()` turns true); then a watch runs from the list's resourceVersion with
 *   bookmarks, and every event advances the resourceVersion.
 * - A normal close (server `timeoutSeconds`, client timeout) reconnects at once from the last resourceVersion.
 * - 410 Gone (HTTP status or watch `ERROR` event) → `resource-version-expired`, then a full relist whose
 *   difference with the cache is delivered as add/update/delete → `relisted`.
 * - Other failures → `watch-error` and a retry after exponential backoff; after `maxConsecutiveFailures`
 *   → `gave-up`, the informer stops and `waitForSync` rejects with `InformerGaveUpError`.
 *
 * The constructor is inert; `start()` begins I/O, `stop()` ends it.
 */
export class Informer<T extends KubeObject> implements CacheReader<T> {
  private readonly cache: ObjectCache<T>;
  private readonly clock: Clock;
  private readonly metrics: RuntimeMetrics;
  private readonly log: Logger;
  private readonly handlers: InformerHandlers<T>[] = [];
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private watchHandle: WatchHandle | undefined;
  private resyncTimer: Timer | undefined;
  private resourceVersion = '';
  private synced = false;
  private stopped = true;
  private failure: Error | undefined;
  private syncWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];

  constructor(private readonly options: InformerOptions<T>) {
    this.cache = new ObjectCache(options.indexers);
    this.clock = options.clock ?? systemClock;
    this.metrics = options.metrics ?? runtimeMetrics();
    this.log = options.logger.child({ [LOG_FIELDS.informer]: options.name });
  }

  get name(): string {
    return this.options.name;
  }

  /** Register handlers; returns an unsubscribe function. Register before `start()` to see the initial adds. */
  on(handlers: InformerHandlers<T>): () => void {
    this.handlers.push(handlers);
    return () => {
      const i = this.handlers.indexOf(handlers);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.failure = undefined;
    this.abort = new AbortController();
    this.loop = this.run();
    this.scheduleResync();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    this.watchHandle?.stop();
    this.resyncTimer?.cancel();
    await this.loop;
    this.synced = false;
    this.metrics.informerSynced.set({ informer: this.name }, 0);
    this.rejectWaiters(this.failure ?? new InformerStoppedError(this.name));
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the initial list is in the cache; rejects if the informer stops or gives up first. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  /** The resourceVersion the next watch would start from ('' = a relist is due). */
  lastResourceVersion(): string {
    return this.resourceVersion;
  }

  get(key: ObjectKey | string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return this.cache.list();
  }

  keys(): string[] {
    return this.cache.keys();
  }

  byIndex(indexName: string, value: string): T[] {
    return this.cache.byIndex(indexName, value);
  }

  private async run(): Promise<void> {
    let failures = 0;
    let listed = false;
    const backoff = this.options.backoff ?? DEFAULT_INFORMER_BACKOFF;
    const maxFailures = this.options.maxConsecutiveFailures ?? Number.POSITIVE_INFINITY;
    while (!this.stopped) {
      try {
        if (this.resourceVersion === '') {
          const result = await this.options.source.list(this.abort.signal);
          if (this.stopped) return;
          this.replace(result.items);
          this.resourceVersion = result.resourceVersion;
          failures = 0;
          if (listed) this.lifecycle('relisted', 'info', { count: result.items.length });
          listed = true;
          this.markSynced();
        }
        const outcome = await this.watchOnce();
        if (this.stopped) return;
        if (outcome.kind === 'failed') throw outcome.err;
        if (outcome.kind === 'expired') {
          this.resourceVersion = '';
          this.lifecycle('resource-version-expired', 'info');
        }
        failures = 0;
      } catch (err) {
        if (this.stopped) return;
        if (httpStatusOf(err) === 410) {
          this.resourceVersion = '';
          this.lifecycle('resource-version-expired', 'info');
          continue;
        }
        failures++;
        if (failures >= maxFailures) {
          this.lifecycle('gave-up', 'error', { [LOG_FIELDS.attempt]: failures, [LOG_FIELDS.err]: err });
          this.failure = new InformerGaveUpError(this.name, failures, { cause: err });
          this.rejectWaiters(this.failure);
          this.stopped = true;
          this.synced = false;
          this.metrics.informerSynced.set({ informer: this.name }, 0);
          this.resyncTimer?.cancel();
          return;
        }
        const delayMs = backoffDelay(backoff, failures);
        this.lifecycle('watch-error', 'warn', {
          [LOG_FIELDS.attempt]: failures,
          [LOG_FIELDS.delayMs]: delayMs,
          [LOG_FIELDS.err]: err,
        });
        await sleep(this.clock, delayMs, this.abort.signal);
      }
    }
  }

  private watchOnce(): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>((resolve) => {
      let settled = false;
      let pendingError: WatchOutcome | undefined;
      const finish = (outcome: WatchOutcome): void => {
        if (settled) return;
        settled = true;
        this.watchHandle = undefined;
        resolve(outcome);
      };
      const onEvent = (event: WatchEvent<T>): void => {
        if (settled || pendingError) return;
        if (event.type === 'ERROR') {
          pendingError =
            event.status.code === 410
              ? { kind: 'expired' }
              : {
                  kind: 'failed',
                  err: Object.assign(new Error(event.status.message ?? 'watch error'), event.status),
                };
          this.watchHandle?.stop();
          return;
        }
        this.apply(event);
      };
      this.options.source
        .watch(this.resourceVersion, {
          onEvent,
          onClose: (err) =>
            finish(pendingError ?? (err === undefined ? { kind: 'closed' } : { kind: 'failed', err })),
        })
        .then((handle) => {
          if (settled) return;
          this.watchHandle = handle;
          this.lifecycle('connected', 'debug', { [LOG_FIELDS.resourceVersion]: this.resourceVersion });
          if (this.stopped || pendingError) handle.stop();
        })
        .catch((err: unknown) => finish({ kind: 'failed', err }));
    });
  }

  private apply(event: Exclude<WatchEvent<T>, { type: 'ERROR' }>): void {
    if (event.type === 'BOOKMARK') {
      this.resourceVersion = event.resourceVersion || this.resourceVersion;
      return;
    }
    const obj = event.object;
    this.resourceVersion = obj.metadata?.resourceVersion || this.resourceVersion;
    if (event.type === 'DELETED') {
      const old = this.cache.remove(obj);
      this.dispatch((h) => h.delete?.(old ?? obj));
      return;
    }
    const old = this.cache.upsert(obj);
    if (old) this.dispatch((h) => h.update?.(old, obj));
    else this.dispatch((h) => h.add?.(obj));
  }

  /** Make the cache equal to a fresh list, delivering the difference. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(stringKeyOf(obj));
      const old = this.cache.upsert(obj);
      if (!old) this.dispatch((h) => h.add?.(obj));
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) {
        this.dispatch((h) => h.update?.(old, obj));
      }
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const old = this.cache.get(key);
      if (!old) continue;
      this.cache.remove(old);
      this.dispatch((h) => h.delete?.(old));
    }
  }

  private dispatch(call: (h: InformerHandlers<T>) => void): void {
    for (const handler of this.handlers) {
      try {
        call(handler);
      } catch (err) {
        this.log.error({ [LOG_FIELDS.err]: err }, 'informer event handler threw');
      }
    }
  }

  private scheduleResync(): void {
    const period = this.options.resyncPeriodMs ?? 0;
    if (period <= 0 || this.stopped) return;
    this.resyncTimer = this.clock.setTimer(() => {
      if (this.stopped) return;
      if (this.synced) {
        this.log.debug({ count: this.cache.size() }, 'resync');
        for (const obj of this.cache.list()) this.dispatch((h) => h.update?.(obj, obj));
      }
      this.scheduleResync();
    }, period);
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    this.metrics.informerSynced.set({ informer: this.name }, 1);
    this.log.info({ count: this.cache.size() }, 'informer synced');
    for (const waiter of this.syncWaiters.splice(0)) waiter.resolve();
  }

  private rejectWaiters(err: Error): void {
    for (const waiter of this.syncWaiters.splice(0)) waiter.reject(err);
  }

  private lifecycle(
    event: InformerEvent,
    level: 'debug' | 'info' | 'warn' | 'error',
    fields: object = {},
  ): void {
    this.metrics.informerEvents.inc({ informer: this.name, event });
    this.log[level]({ [LOG_FIELDS.event]: event, ...fields }, `informer ${event}`);
  }
}
