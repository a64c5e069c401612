import {
  PoolAllocationState,
  ResourceVersionConflictError,
  type IPFamily,
  type IPSet,
} from '@spiderpool/ipam-core';
import { isConflict, sleep, systemClock, type Clock } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import { QueueFullError } from '../errors.js';
import { AGENT_LOG_FIELDS as F } from '../observability/log-fields.js';
import type { StoredPool } from '../cluster/cluster.port.js';
import type { IPPoolApi } from './ippool-api.port.js';

/**
 * One request's decision on a pool: reads and changes `state` (pick + apply, or release) and returns its result.
 * It must depend only on `state`, because a conflict re-runs it on a fresh read. Throwing fails this request
 * only; the rest of the batch goes on.
 */
export type PoolOp<R> = (state: PoolAllocationState) => R;

export type PoolOpKind = 'allocate' | 'release';

export interface BatcherObserver {
  /** A status write of this pool got a 409. */
  conflict(kind: PoolOpKind): void;
  /** Time a request waited before its first decision (the upstream "limiter" time). */
  waited(kind: PoolOpKind, seconds: number): void;
  /** Requests written together (1 = no coalescing). */
  batchSize(size: number): void;
}

export interface WritePolicy {
  /** Floor of attempts of one batch write (≥ 1): a batch is never given up before this many tries. */
  readonly attempts: number;
  /**
   * Time budget of a batch, from its oldest request's arrival. A 409 means another writer's write landed, so
   * conflicts are progress of the whole system, not failure: they are retried until both this budget and the
   * attempt floor are spent. The number of rounds a writer may have to wait grows with the number of writers,
   * which a fixed attempt count cannot know; a time budget below the CNI's call timeout does.
   */
  readonly timeoutMs: number;
  /** Delay before retry n is uniform in [0, min(baseMs · 2^(n−2), maxMs, 2 · round)], round = EWMA of read+write. */
  readonly baseMs: number;
  readonly maxMs: number;
}

export interface PoolWriteBatcherDeps {
  readonly api: IPPoolApi;
  /** Union of the reserved IPs of a family (cache). */
  readonly reserved: (family: IPFamily) => IPSet;
  readonly policy: WritePolicy;
  readonly maxPending: number;
  readonly logger: Logger;
  readonly observer?: BatcherObserver;
  readonly clock?: Clock;
  readonly random?: () => number;
}

interface Pending {
  readonly kind: PoolOpKind;
  readonly op: PoolOp<unknown>;
  readonly enqueuedAt: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
  waitedReported: boolean;
}

interface PoolQueue {
  pending: Pending[];
  running: boolean;
  /** Last time a write of this pool by this agent got a 409 (contention seen). */
  lastConflictAt: number;
}

/** How long after its last 409 a pool counts as contended (in rounds, with a floor in ms). */
const CONTENDED_ROUNDS = 50;
const CONTENDED_FLOOR_MS = 1000;

type OpOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Coalesces the status writes of one agent per SpiderIPPool (ADR 0010). At most one write per pool is in flight;
 * requests that arrive meanwhile wait and form the next batch. A batch is one optimistic read-decide-write:
 * live GET, every request's decision on the same state (so each gets its own IP), one UpdateStatus with the read
 * resourceVersion. A 409 re-reads and re-decides for the whole batch (plus whatever arrived meanwhile) after a
 * jittered backoff; when the attempts run out every request of the batch fails with ResourceVersionConflictError.
 */
export class PoolWriteBatcher {
  private readonly queues = new Map<string, PoolQueue>();
  private readonly clock: Clock;
  private readonly random: () => number;
  /** EWMA of one read+write round trip, ms (the unit of the fairness delays). */
  private roundMs: number;

  constructor(private readonly deps: PoolWriteBatcherDeps) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.roundMs = deps.policy.baseMs;
  }

  /** Number of requests waiting for `pool`'s next write. */
  pendingCount(pool: string): number {
    return this.queues.get(pool)?.pending.length ?? 0;
  }

  submit<R>(pool: string, kind: PoolOpKind, op: PoolOp<R>): Promise<R> {
    let queue = this.queues.get(pool);
    if (queue === undefined) {
      queue = { pending: [], running: false, lastConflictAt: Number.NEGATIVE_INFINITY };
      this.queues.set(pool, queue);
    }
    if (queue.pending.length >= this.deps.maxPending) {
      return Promise.reject(
        new QueueFullError(
          `queue of IPPool ${pool} is full with a maximum length of ${this.deps.maxPending}`,
        ),
      );
    }
    const q = queue;
    return new Promise<R>((resolve, reject) => {
      q.pending.push({
        kind,
        op,
        enqueuedAt: this.clock.now(),
        resolve: resolve as (v: unknown) => void,
        reject,
        waitedReported: false,
      });
      if (!q.running) void this.drain(pool, q);
    });
  }

  private async drain(pool: string, queue: PoolQueue): Promise<void> {
    queue.running = true;
    try {
      while (queue.pending.length > 0) {
        const batch = queue.pending.splice(0);
        const wrote = await this.runBatch(pool, queue, batch);
        if (wrote && queue.pending.length > 0 && this.contended(queue)) {
          // Fairness between agents: a writer that just won keeps winning if it reads again at once, because
          // the losers are backing off (capture effect). Under contention the winner sits out a little more than
          // the losers' longest retry delay, so a loser's retry lands first; its own queue grows meanwhile and
          // goes out as one bigger batch.
          await sleep(this.clock, Math.floor(this.roundMs * (2 + this.random())));
        }
      }
    } finally {
      queue.running = false;
      if (queue.pending.length === 0) this.queues.delete(pool);
    }
  }

  private async runBatch(pool: string, queue: PoolQueue, batch: Pending[]): Promise<boolean> {
    const { policy, api } = this.deps;
    let lastConflict: unknown;
    const startedAt = Math.min(...batch.map((p) => p.enqueuedAt));
    let attempt = 0;
    for (;;) {
      attempt++;
      if (attempt > 1) {
        if (attempt > policy.attempts && this.clock.now() - startedAt >= policy.timeoutMs) break;
        const cap = Math.min(
          policy.baseMs * 2 ** (attempt - 2),
          policy.maxMs,
          Math.max(policy.baseMs, 2 * this.roundMs),
        );
        await sleep(this.clock, Math.floor(this.random() * cap));
        // Requests that arrived during the failed write join the retry instead of waiting for another round.
        batch.push(...queue.pending.splice(0));
      }
      this.reportWaits(batch);
      let current: StoredPool;
      let state: PoolAllocationState;
      const roundStart = this.clock.now();
      try {
        current = await api.read(pool);
        state = PoolAllocationState.fromPool(current, this.reserved(current));
      } catch (err) {
        for (const p of batch) p.reject(err);
        return false;
      }
      const before = state.serializeRecords();
      const outcomes: OpOutcome[] = batch.map((p) => {
        try {
          return { ok: true, value: p.op(state) };
        } catch (error) {
          return { ok: false, error };
        }
      });
      const after = state.serializeRecords();
      const wrote = after !== before;
      if (wrote) {
        try {
          const status = { ...(current.status ?? {}), allocatedIPCount: state.records.size };
          if (after === undefined) delete status.allocatedIPs;
          else status.allocatedIPs = after;
          await api.writeStatus({ ...current, status });
          this.observeRound(roundStart);
        } catch (err) {
          if (isConflict(err)) {
            this.observeRound(roundStart);
            lastConflict = err;
            queue.lastConflictAt = this.clock.now();
            for (const kind of new Set(batch.map((p) => p.kind))) this.deps.observer?.conflict(kind);
            this.deps.logger.debug(
              { [F.pool]: pool, [F.attempt]: attempt, [F.batch]: batch.length },
              'pool write conflict',
            );
            continue;
          }
          for (const p of batch) p.reject(err);
          return false;
        }
      }
      this.deps.observer?.batchSize(batch.length);
      batch.forEach((p, i) => {
        const o = outcomes[i] as OpOutcome;
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
      return wrote;
    }
    const tries = attempt - 1;
    this.deps.logger.warn(
      { [F.pool]: pool, [F.attempt]: tries, [F.batch]: batch.length },
      'pool write retries exhausted',
    );
    const error = new ResourceVersionConflictError(
      `exhaust all retries (${tries} times in ${this.clock.now() - startedAt} ms), failed to update IPPool ${pool}`,
      tries,
      { cause: lastConflict },
    );
    for (const p of batch) p.reject(error);
    return false;
  }

  private contended(queue: PoolQueue): boolean {
    const window = Math.max(CONTENDED_FLOOR_MS, CONTENDED_ROUNDS * this.roundMs);
    return this.clock.now() - queue.lastConflictAt < window;
  }

  private observeRound(startedAt: number): void {
    this.roundMs = 0.8 * this.roundMs + 0.2 * Math.max(1, this.clock.now() - startedAt);
  }

  private reportWaits(batch: Pending[]): void {
    const now = this.clock.now();
    for (const p of batch) {
      if (p.waitedReported) continue;
      p.waitedReported = true;
      this.deps.observer?.waited(p.kind, (now - p.enqueuedAt) / 1000);
    }
  }

  private reserved(pool: StoredPool): IPSet | undefined {
    const family = pool.spec.ipVersion;
    return family === 4 || family === 6 ? this.deps.reserved(family) : undefined;
  }
}
