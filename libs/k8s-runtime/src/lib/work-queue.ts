import { systemClock, type Clock, type Timer } from './clock.port.js';
import { runtimeMetrics, type RuntimeMetrics } from './runtime-metrics.js';

/** Per-key exponential backoff: delay = min(baseMs · 2^(failures−1), maxMs). */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 60_000 };

export function backoffDelay(policy: BackoffPolicy, failures: number): number {
  if (failures <= 0) return 0;
  // 2^exp overflows to Infinity for large exponents, which min() then caps.
  return Math.min(policy.baseMs * 2 ** (failures - 1), policy.maxMs);
}

export interface WorkQueueOptions {
  /** Controller name; the only metric label. */
  name: string;
  clock?: Clock;
  metrics?: RuntimeMetrics;
  backoff?: BackoffPolicy;
}

export interface ShutdownOptions {
  /** true: hand out every key already queued and wait for them; false: drop queued keys, wait for in-flight ones. */
  drain: boolean;
}

/**
 * A keyed work queue with client-go semantics:
 * - a key is queued at most once (`dirty` set) however often it is added;
 * - a key is handed to at most one worker at a time; an add while it is in flight re-queues it after `done`;
 * - `addAfter` keeps the earliest pending deadline per key;
 * - `addRateLimited` waits `backoffDelay(failures)` per key until `forget` resets the count.
 */
export class WorkQueue {
  private readonly clock: Clock;
  private readonly metrics: RuntimeMetrics;
  private readonly backoff: BackoffPolicy;
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly delayed = new Map<string, { due: number; timer: Timer }>();
  private readonly failures = new Map<string, number>();
  private readonly getters: Array<(key: string | undefined) => void> = [];
  private readonly idleWaiters: Array<() => void> = [];
  private shuttingDown = false;
  private draining = false;

  constructor(private readonly options: WorkQueueOptions) {
    this.clock = options.clock ?? systemClock;
    this.metrics = options.metrics ?? runtimeMetrics();
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  get name(): string {
    return this.options.name;
  }

  /** Keys waiting to be handed out (excludes in-flight and delayed keys). */
  len(): number {
    return this.queue.length;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: string): void {
    if (this.shuttingDown) return;
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    this.metrics.queueAdds.inc({ controller: this.name });
    if (this.processing.has(key)) return; // re-queued by done()
    this.push(key);
  }

  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const due = this.clock.now() + delayMs;
    const pending = this.delayed.get(key);
    if (pending && pending.due <= due) return;
    pending?.timer.cancel();
    const timer = this.clock.setTimer(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.delayed.set(key, { due, timer });
  }

  /** Re-add after the key's next backoff delay; returns that delay. */
  addRateLimited(key: string): number {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const delay = backoffDelay(this.backoff, failures);
    this.metrics.queueRetries.inc({ controller: this.name });
    this.addAfter(key, delay);
    return delay;
  }

  /** Reset the key's failure count (after a success or when giving up). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Next key to process; `undefined` once the queue is shut down (and, when draining, empty). */
  get(): Promise<string | undefined> {
    const key = this.take();
    if (key !== undefined) return Promise.resolve(key);
    // While draining, an in-flight key may still be re-queued by done(): keep the worker waiting for it.
    if (this.shuttingDown && !(this.draining && this.processing.size > 0)) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Mark a key returned by `get` as finished. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.push(key);
    this.checkIdle();
  }

  /**
   * Stop accepting keys and cancel delayed ones. Resolves once no key is in flight (and, with `drain`, the queue
   * is empty). Workers see `get()` return `undefined` and exit.
   */
  shutdown(options: ShutdownOptions): Promise<void> {
    this.shuttingDown = true;
    this.draining = options.drain;
    for (const { timer } of this.delayed.values()) timer.cancel();
    this.delayed.clear();
    if (!options.drain) {
      for (const key of this.queue) this.dirty.delete(key);
      this.queue.length = 0;
      this.updateDepth();
    }
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.checkIdle();
    return idle;
  }

  private push(key: string): void {
    if (this.shuttingDown && !this.draining) {
      this.dirty.delete(key);
      return;
    }
    const getter = this.getters.shift();
    if (getter) {
      this.dirty.delete(key);
      this.processing.add(key);
      getter(key);
      return;
    }
    this.queue.push(key);
    this.updateDepth();
  }

  private take(): string | undefined {
    const key = this.queue.shift();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.processing.add(key);
    this.updateDepth();
    return key;
  }

  private checkIdle(): void {
    if (!this.shuttingDown) return;
    const idle = this.processing.size === 0 && (this.queue.length === 0 || !this.draining);
    if (this.queue.length === 0 && (idle || !this.draining)) {
      for (const getter of this.getters.splice(0)) getter(undefined);
    }
    if (idle) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private updateDepth(): void {
    this.metrics.queueDepth.set({ controller: this.name }, this.queue.length);
  }
}
