import type { Logger } from 'pino';
import { z } from 'zod';
import { sleep, systemClock, type Clock } from './clock.port.js';
import { LeaderElectionError } from './errors.js';
import { isAlreadyExists, isConflict } from './k8s-error-code.js';
import type { LeaseClient, LeaseRecord, LeaseSnapshot } from './lease-client.port.js';
import { LOG_FIELDS } from './log-fields.js';
import { runtimeMetrics, type RuntimeMetrics } from './runtime-metrics.js';

/** client-go's jitter factor for the retry period. */
const JITTER = 1.2;

/**
 * Timing of the election (client-go semantics; Spiderpool defaults 15 s / 10 s / 2 s, retry gap 1 s):
 * - `leaseDurationMs`: how long non-leaders wait after last observing a change before taking over;
 * - `renewDeadlineMs`: how long the leader keeps retrying a failed renew before giving up leadership;
 * - `retryPeriodMs`: pause between acquire/renew attempts (acquire attempts are jittered by up to 1.2×);
 * - `retryGapMs`: pause after a term ends before campaigning again.
 */
export const leaderElectionTimingSchema = z
  .object({
    leaseDurationMs: z.number().int().positive(),
    renewDeadlineMs: z.number().int().positive(),
    retryPeriodMs: z.number().int().positive(),
    retryGapMs: z.number().int().nonnegative(),
  })
  .refine((t) => t.leaseDurationMs > t.renewDeadlineMs, {
    message: 'leaseDuration must exceed renewDeadline',
  })
  .refine((t) => t.renewDeadlineMs > JITTER * t.retryPeriodMs, {
    message: 'renewDeadline must exceed 1.2 × retryPeriod',
  });

export type LeaderElectionTiming = z.infer<typeof leaderElectionTimingSchema>;

export const SPIDERPOOL_LEADER_TIMING: LeaderElectionTiming = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  retryGapMs: 1_000,
};

export type StoppedLeadingReason = 'lost' | 'shutdown';

export interface LeaderCallbacks {
  /** This replica became leader (not awaited: renewals go on meanwhile). `signal` aborts when the term ends. */
  onStartedLeading(signal: AbortSignal): Promise<void> | void;
  /** The term ended; awaited before the lease is released or a new campaign starts. */
  onStoppedLeading(reason: StoppedLeadingReason): Promise<void> | void;
  /** The observed holder changed (including to this replica). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectorOptions {
  /** `namespace/name` of the Lease, for logs and the metric label. */
  leaseName: string;
  /** This candidate's identity (the pod name). */
  identity: string;
  client: LeaseClient;
  timing?: LeaderElectionTiming;
  callbacks: LeaderCallbacks;
  logger: Logger;
  clock?: Clock;
  metrics?: RuntimeMetrics;
  random?: () => number;
}

/**
 * Lease-based leader election with client-go semantics:
 * - expiry is judged on the local clock from when this candidate last *observed* the record change (never from
 *   the holder's timestamps), so clock skew between replicas does not matter;
 * - every write carries the read resourceVersion, so two candidates can never both win;
 * - the leader renews every retryPeriod and steps down if no renew succeeded within renewDeadline;
 * - on `stop()` the leader first ends its term (awaiting `onStoppedLeading('shutdown')`), then releases the
 *   lease (empty holder, 1 s duration) so another replica takes over at its next retry.
 * Terms repeat forever: after a lost term it waits `retryGapMs` and campaigns again.
 * If `onStartedLeading` fails (leader-only work cannot start) the leader steps down: it ends the term, releases
 * the lease so another replica can lead, and campaigns again after `retryPeriodMs`. If the election loop itself
 * crashes it is restarted after a backoff (retryPeriod, doubling up to leaseDuration).
 */
export class LeaderElector {
  private readonly timing: LeaderElectionTiming;
  private readonly clock: Clock;
  private readonly metrics: RuntimeMetrics;
  private readonly random: () => number;
  private readonly log: Logger;
  private observed: LeaseSnapshot | undefined;
  private observedAt = 0;
  private lastRenew = 0;
  private leading = false;
  private stopping = false;
  private stopSignal = new AbortController();
  private termSignal: AbortController | undefined;
  /** Set when the current term's `onStartedLeading` failed: the term ends and the lease is handed back. */
  private startFailed = false;
  private restartDelayMs = 0;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: LeaderElectorOptions) {
    const timing = options.timing ?? SPIDERPOOL_LEADER_TIMING;
    const parsed = leaderElectionTimingSchema.safeParse(timing);
    if (!parsed.success)
      throw new LeaderElectionError(`invalid leader election timing: ${parsed.error.message}`);
    this.timing = parsed.data;
    this.clock = options.clock ?? systemClock;
    this.metrics = options.metrics ?? runtimeMetrics();
    this.random = options.random ?? Math.random;
    this.log = options.logger.child({
      [LOG_FIELDS.lease]: options.leaseName,
      [LOG_FIELDS.identity]: options.identity,
    });
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** Last observed holder ('' or undefined = none known); readiness needs some leader. */
  currentLeader(): string | undefined {
    return this.observed?.record.holderIdentity || undefined;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.stopSignal = new AbortController();
    this.restartDelayMs = this.timing.retryPeriodMs;
    this.loop = this.supervise();
  }

  /** End the term (if leading), release the lease, and stop campaigning. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.stopSignal.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** Runs the election loop; restarts it after a backoff if it crashes, until `stop()`. */
  private async supervise(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.run();
        return;
      } catch (err) {
        const delayMs = this.restartDelayMs;
        this.log.error(
          { [LOG_FIELDS.err]: err, [LOG_FIELDS.delayMs]: delayMs },
          'leader election loop crashed; restarting it after a backoff',
        );
        await this.recoverFromCrash();
        if (this.stopping) return;
        await sleep(this.clock, delayMs, this.stopSignal.signal);
        this.restartDelayMs = Math.min(delayMs * 2, this.timing.leaseDurationMs);
      }
    }
  }

  /** After a crash: end a running term (and release the lease when shutting down) so state stays consistent. */
  private async recoverFromCrash(): Promise<void> {
    try {
      this.startFailed = false;
      if (this.leading) await this.endTerm(this.stopping ? 'shutdown' : 'lost');
      if (this.stopping) await this.release();
    } catch (err) {
      this.log.error({ [LOG_FIELDS.err]: err }, 'cleanup after a leader election loop crash failed');
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (!(await this.acquire())) return;
      this.startTerm();
      await this.renewUntilLost();
      const reason: StoppedLeadingReason = this.stopping ? 'shutdown' : 'lost';
      await this.endTerm(reason);
      if (reason === 'shutdown') {
        await this.release();
        return;
      }
      if (this.startFailed) {
        this.startFailed = false;
        await this.release();
        await sleep(this.clock, this.timing.retryPeriodMs, this.stopSignal.signal);
        continue;
      }
      await sleep(this.clock, this.timing.retryGapMs, this.stopSignal.signal);
    }
  }

  private async acquire(): Promise<boolean> {
    this.log.debug('campaigning for leadership');
    while (!this.stopping) {
      if (await this.tryAcquireOrRenew()) return true;
      const delay = this.timing.retryPeriodMs * (1 + this.random() * (JITTER - 1));
      await sleep(this.clock, delay, this.stopSignal.signal);
    }
    return false;
  }

  private async renewUntilLost(): Promise<void> {
    // Wakes early on stop() and when the term ends because onStartedLeading failed.
    const wake = AbortSignal.any([this.stopSignal.signal, this.termSignal?.signal ?? this.stopSignal.signal]);
    while (!this.stopping && !this.startFailed) {
      await sleep(this.clock, this.timing.retryPeriodMs, wake);
      if (this.stopping || this.startFailed) return;
      const deadline = this.lastRenew + this.timing.renewDeadlineMs;
      let renewed = false;
      while (!this.stopping && !this.startFailed && this.clock.now() < deadline) {
        if (await this.tryAcquireOrRenew()) {
          renewed = true;
          break;
        }
        const wait = Math.min(this.timing.retryPeriodMs, deadline - this.clock.now());
        if (wait > 0) await sleep(this.clock, wait, wake);
      }
      if (!renewed && !this.stopping && !this.startFailed) {
        this.log.info('failed to renew lease within the renew deadline');
        return;
      }
    }
  }

  private startTerm(): void {
    this.leading = true;
    this.startFailed = false;
    this.restartDelayMs = this.timing.retryPeriodMs;
    this.metrics.leader.set({ lease: this.options.leaseName }, 1);
    const term = new AbortController();
    this.termSignal = term;
    this.log.info('became leader');
    // Not awaited: starting leader-only work (informer sync) must not delay the first renewals.
    void Promise.resolve()
      .then(() => this.options.callbacks.onStartedLeading(term.signal))
      .catch((err: unknown) => {
        if (term.signal.aborted) {
          this.log.error({ [LOG_FIELDS.err]: err }, 'onStartedLeading failed after the term ended');
          return;
        }
        // Holding the lease without running leader-only work would stall the cluster: hand it back.
        this.log.error(
          { [LOG_FIELDS.err]: err },
          'onStartedLeading failed; stepping down and releasing the lease',
        );
        this.startFailed = true;
        term.abort();
      });
  }

  private async endTerm(reason: StoppedLeadingReason): Promise<void> {
    this.leading = false;
    this.metrics.leader.set({ lease: this.options.leaseName }, 0);
    this.termSignal?.abort();
    this.log.info({ [LOG_FIELDS.reason]: reason }, 'stopped leading');
    try {
      await this.options.callbacks.onStoppedLeading(reason);
    } catch (err) {
      this.log.error({ [LOG_FIELDS.err]: err }, 'onStoppedLeading failed');
    }
  }

  /** One attempt; true when this candidate holds the lease afterwards. API errors count as "not acquired". */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const mine: LeaseRecord = {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.ceil(this.timing.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    try {
      const current = await this.options.client.get();
      if (!current) {
        this.setObserved(await this.options.client.create(mine), now);
        this.lastRenew = now;
        return true;
      }
      if (this.observed?.resourceVersion !== current.resourceVersion) this.setObserved(current, now);
      const record = current.record;
      const holder = record.holderIdentity ?? '';
      const durationMs = (record.leaseDurationSeconds ?? 0) * 1000;
      const held = holder !== '' && holder !== this.options.identity;
      if (held && this.observedAt + durationMs > now) return false;
      const next: LeaseRecord =
        holder === this.options.identity
          ? {
              ...mine,
              acquireTime: record.acquireTime ?? now,
              leaseTransitions: record.leaseTransitions ?? 0,
            }
          : { ...mine, leaseTransitions: (record.leaseTransitions ?? 0) + 1 };
      this.setObserved(await this.options.client.update(next, current.resourceVersion), now);
      this.lastRenew = now;
      return true;
    } catch (err) {
      if (isConflict(err) || isAlreadyExists(err)) {
        this.log.debug({ [LOG_FIELDS.err]: err }, 'lost a lease write race');
      } else {
        this.log.warn({ [LOG_FIELDS.err]: err }, 'lease acquire/renew failed');
      }
      return false;
    }
  }

  private async release(): Promise<void> {
    if (this.observed?.record.holderIdentity !== this.options.identity) return;
    const now = this.clock.now();
    try {
      this.setObserved(
        await this.options.client.update(
          {
            holderIdentity: '',
            leaseDurationSeconds: 1,
            acquireTime: now,
            renewTime: now,
            leaseTransitions: this.observed.record.leaseTransitions ?? 0,
          },
          this.observed.resourceVersion,
        ),
        now,
      );
      this.log.info('released lease');
    } catch (err) {
      this.log.warn(
        { [LOG_FIELDS.err]: err },
        'failed to release lease; followers will wait for it to expire',
      );
    }
  }

  private setObserved(snapshot: LeaseSnapshot, now: number): void {
    const previous = this.observed?.record.holderIdentity ?? '';
    this.observed = snapshot;
    this.observedAt = now;
    const holder = snapshot.record.holderIdentity ?? '';
    if (holder !== previous && holder !== '') {
      this.log.info({ [LOG_FIELDS.holder]: holder }, 'new leader observed');
      this.options.callbacks.onNewLeader?.(holder);
    }
  }
}
