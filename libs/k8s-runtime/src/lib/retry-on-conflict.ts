import { sleep, systemClock, type Clock } from './clock.port.js';
import { ConflictRetriesExhaustedError } from './errors.js';
import { isConflict } from './k8s-error-code.js';

export interface RetryPolicy {
  /** Total attempts including the first (≥ 1). */
  attempts: number;
  /** Delay before retry n is uniformly drawn from [0, min(baseMs · 2^(n−1), maxMs)] ("full jitter"). */
  baseMs: number;
  maxMs: number;
}

/** client-go `retry.DefaultRetry`-like: 5 attempts, 10 ms doubling, jittered. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 10, maxMs: 1000 };

export interface RetryDeps {
  clock?: Clock;
  /** Uniform [0, 1) source; injected for deterministic tests. */
  random?: () => number;
  /** Which errors are retried; default: k8s `Conflict` (HTTP 409 with reason Conflict). */
  isRetryable?: (err: unknown) => boolean;
  signal?: AbortSignal;
}

/** What `decide` returns: `undefined` = nothing to write (done), otherwise the object to write. */
export type Decision<W> = W | undefined;

/**
 * Optimistic-concurrency update loop (house style §16). Every attempt:
 * 1. `read()` — a fresh GET from the API server (never the informer cache);
 * 2. `decide(current, attempt)` — the pure decision, re-run on the fresh state;
 * 3. `write(next)` — carrying the resourceVersion observed in step 1 (decide must keep it), so the server rejects
 *    it with 409 if someone else wrote in between.
 * Conflicts retry with jittered exponential delay; any other error propagates; exhaustion throws
 * `ConflictRetriesExhaustedError` with the last conflict as `cause`.
 * Returns the write result, or `undefined` when `decide` found nothing to do.
 */
export async function retryOnConflict<R, W, O>(
  read: () => Promise<R>,
  decide: (current: R, attempt: number) => Decision<W>,
  write: (next: W) => Promise<O>,
  policy: RetryPolicy = DEFAULT_RETRY,
  deps: RetryDeps = {},
): Promise<O | undefined> {
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const retryable = deps.isRetryable ?? isConflict;
  const attempts = Math.max(1, policy.attempts);
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      const cap = Math.min(policy.baseMs * 2 ** (attempt - 2), policy.maxMs);
      await sleep(clock, Math.floor(random() * cap), deps.signal);
    }
    const current = await read();
    const next = decide(current, attempt);
    if (next === undefined) return undefined;
    try {
      return await write(next);
    } catch (err) {
      if (!retryable(err)) throw err;
      last = err;
    }
  }
  throw new ConflictRetriesExhaustedError(attempts, { cause: last });
}
