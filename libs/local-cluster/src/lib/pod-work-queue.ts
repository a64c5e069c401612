/** Schedules a callback; injected so tests drive backoff without waiting. */
export interface Scheduler {
  after(ms: number, fn: () => void): { cancel(): void };
}

export const realScheduler: Scheduler = {
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

export interface PodWorkQueueOptions {
  /** Pods worked on at the same time on this node. */
  concurrency: number;
  /** First retry delay after a failure; doubles per consecutive failure up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  scheduler: Scheduler;
  /** Called for every failure with the delay before the next attempt. */
  onRetry?: (key: string, err: unknown, delayMs: number) => void;
}

/**
 * Keyed work queue of one simulated node: deduplicates by key, runs at most one worker per key (a key that is
 * added while running runs again afterwards), limits concurrency across keys and retries failures with
 * exponential backoff — the behaviour of kubelet's pod workers, as far as the network step is concerned.
 */
export class PodWorkQueue {
  private readonly queued = new Set<string>();
  private readonly order: string[] = [];
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { cancel(): void }>();
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly work: (key: string) => Promise<void>,
    private readonly options: PodWorkQueueOptions,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (!this.queued.has(key)) {
      this.queued.add(key);
      this.order.push(key);
    }
    this.pump();
  }

  /** Consecutive failures of a key so far (0 after a success). */
  failureCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Resolves when nothing runs and nothing is queued (pending backoff timers do not count). */
  async idle(): Promise<void> {
    if (this.running.size === 0 && this.order.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work, cancels backoff timers and waits for running workers. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.order.length = 0;
    this.queued.clear();
    await this.idle();
  }

  private pump(): void {
    while (this.running.size < this.options.concurrency && this.order.length > 0) {
      const key = this.order.shift() as string;
      this.queued.delete(key);
      this.running.add(key);
      void this.runOne(key);
    }
    if (this.running.size === 0 && this.order.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async runOne(key: string): Promise<void> {
    try {
      await this.work(key);
      this.failures.delete(key);
    } catch (err) {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      const delay = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (n - 1));
      this.options.onRetry?.(key, err, delay);
      if (!this.stopped && !this.dirty.has(key)) {
        this.timers.set(
          key,
          this.options.scheduler.after(delay, () => {
            this.timers.delete(key);
            this.add(key);
          }),
        );
      }
    } finally {
      this.running.delete(key);
      if (this.dirty.delete(key) && !this.stopped) {
        this.queued.add(key);
        this.order.push(key);
      }
      this.pump();
    }
  }
}
