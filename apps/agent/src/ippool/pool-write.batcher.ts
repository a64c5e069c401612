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
  /** Attempts of one batch write (≥ 1). */
  readonly attempts: number;
  /** Delay before retry n is uniform in [0, min(baseMs · 2^(n−1), maxMs)]. */
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
}

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

  constructor(private readonly deps: PoolWriteBatcherDeps) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
  }

  /** Number of requests waiting for `pool`'s next write. */
  pendingCount(pool: string): number {
    return this.queues.get(pool)?.pending.length ?? 0;
  }

  submit<R>(pool: string, kind: PoolOpKind, op: PoolOp<R>): Promise<R> {
    let queue = this.queues.get(pool);
    if (queue === undefined) {
      queue = { pending: [], running: false };
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
        await this.runBatch(pool, queue, batch);
      }
    } finally {
      queue.running = false;
      if (queue.pending.length === 0) this.queues.delete(pool);
    }
  }

  private async runBatch(pool: string, queue: PoolQueue, batch: Pending[]): Promise<void> {
    const { policy, api } = this.deps;
    let lastConflict: unknown;
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
      if (attempt > 1) {
        const cap = Math.min(policy.baseMs * 2 ** (attempt - 2), policy.maxMs);
        await sleep(this.clock, Math.floor(this.random() * cap));
        // Requests that arrived during the failed write join the retry instead of waiting for another round.
        batch.push(...queue.pending.splice(0));
      }
      this.reportWaits(batch);
      let current: StoredPool;
      let state: PoolAllocationState;
      try {
        current = await api.read(pool);
        state = PoolAllocationState.fromPool(current, this.reserved(current));
      } catch (err) {
        for (const p of batch) p.reject(err);
        return;
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
      if (after !== before) {
        try {
          const status = { ...(current.status ?? {}), allocatedIPCount: state.records.size };
          if (after === undefined) delete status.allocatedIPs;
          else status.allocatedIPs = after;
          await api.writeStatus({ ...current, status });
        } catch (err) {
          if (isConflict(err)) {
            lastConflict = err;
            for (const kind of new Set(batch.map((p) => p.kind))) this.deps.observer?.conflict(kind);
            this.deps.logger.debug(
              { [F.pool]: pool, [F.attempt]: attempt, [F.batch]: batch.length },
              'pool write conflict',
            );
            continue;
          }
          for (const p of batch) p.reject(err);
          return;
        }
      }
      this.deps.observer?.batchSize(batch.length);
      batch.forEach((p, i) => {
        const o = outcomes[i] as OpOutcome;
        if (o.ok) p.resolve(o.value);
        else p.reject(o.error);
      });
      return;
    }
    this.deps.logger.warn(
      { [F.pool]: pool, [F.attempt]: policy.attempts, [F.batch]: batch.length },
      'pool write retries exhausted',
    );
    const error = new ResourceVersionConflictError(
      `exhaust all retries (${policy.attempts} times), failed to update IPPool ${pool}`,
      policy.attempts,
      { cause: lastConflict },
    );
    for (const p of batch) p.reject(error);
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
