import { systemClock, type Clock, type Timer } from '@spiderpool/k8s-runtime';

/**
 * Compares two resourceVersions. They are opaque by contract; etcd-backed API servers hand out decimal revisions,
 * which are ordered. Returns `undefined` when either is not a decimal integer (then nothing can be concluded).
 */
export function compareResourceVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface ResourceVersionBarrierOptions {
  /** The resourceVersion the local view has applied so far (an informer's last event or bookmark). */
  current: () => string;
  clock?: Clock;
  /** How often `current()` is re-checked while waiting (bookmarks do not reach informer handlers). Default 5 ms. */
  pollMs?: number;
}

interface Waiter {
  target: string;
  resolve: (reached: boolean) => void;
  deadline: Timer;
  poll: Timer | undefined;
}

/**
 * A read barrier for a watch-fed view: `waitFor(rv, timeoutMs)` resolves `true` once the view has applied
 * everything up to `rv` (its current resourceVersion is not older), `false` when `timeoutMs` passes first or the
 * versions cannot be compared. `notify()` (called on every informer event) re-checks at once; a poll covers
 * bookmarks. Never rejects: a `false` means "not known to be fresh", and the caller falls back to a live read.
 */
export class ResourceVersionBarrier {
  private readonly clock: Clock;
  private readonly pollMs: number;
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly options: ResourceVersionBarrierOptions) {
    this.clock = options.clock ?? systemClock;
    this.pollMs = options.pollMs ?? 5;
  }

  /** Number of callers still waiting. */
  pending(): number {
    return this.waiters.size;
  }

  waitFor(target: string, timeoutMs: number): Promise<boolean> {
    const now = this.reached(target);
    if (now !== false) return Promise.resolve(now === true);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        target,
        resolve,
        deadline: this.clock.setTimer(() => this.settle(waiter, false), timeoutMs),
        poll: undefined,
      };
      this.waiters.add(waiter);
      this.schedulePoll(waiter);
    });
  }

  /** Re-check every waiter now (the view just applied an event). */
  notify(): void {
    for (const w of [...this.waiters]) this.check(w);
  }

  /** Resolves every waiter with `false` (the view stopped). */
  cancelAll(): void {
    for (const w of [...this.waiters]) this.settle(w, false);
  }

  /** `true` reached, `false` not yet, `undefined` incomparable. */
  private reached(target: string): boolean | undefined {
    const cmp = compareResourceVersions(this.options.current(), target);
    return cmp === undefined ? undefined : cmp >= 0;
  }

  private check(w: Waiter): void {
    const r = this.reached(w.target);
    if (r !== false) this.settle(w, r === true);
  }

  private schedulePoll(w: Waiter): void {
    w.poll = this.clock.setTimer(() => {
      if (!this.waiters.has(w)) return;
      this.check(w);
      if (this.waiters.has(w)) this.schedulePoll(w);
    }, this.pollMs);
  }

  private settle(w: Waiter, reached: boolean): void {
    if (!this.waiters.delete(w)) return;
    w.deadline.cancel();
    w.poll?.cancel();
    w.resolve(reached);
  }
}
