import type { Logger } from 'pino';
import { LeaderElectionError } from './errors.js';
import type { LeaderCallbacks, StoppedLeadingReason } from './leader-election.js';
import { LOG_FIELDS } from './log-fields.js';

/** Anything that can be started and stopped repeatedly, e.g. a `Controller` or a periodic GC loop. */
export interface Runnable {
  readonly name: string;
  start(): Promise<void>;
  stop(options: { drain: boolean }): Promise<void>;
}

/**
 * Runs leader-only components only while this replica leads (house style §14). Pass it as the elector's
 * callbacks: on election it starts every runnable; when leadership is lost it stops them at once
 * (`drain: false`, in-flight reconciles see `ctx.signal` abort); on graceful shutdown it drains them before the
 * elector releases the lease.
 */
export class LeaderGate implements LeaderCallbacks {
  private leading = false;

  constructor(
    private readonly runnables: readonly Runnable[],
    private readonly logger: Logger,
  ) {}

  isLeading(): boolean {
    return this.leading;
  }

  /**
   * Starts every runnable (all are attempted). If any fails, rejects after all attempts settled, so the elector
   * steps down; it then calls `onStoppedLeading`, which stops the ones that did start.
   */
  async onStartedLeading(_signal: AbortSignal): Promise<void> {
    this.leading = true;
    const failures: Array<{ name: string; err: unknown }> = [];
    await Promise.all(
      this.runnables.map(async (r) => {
        try {
          await r.start();
        } catch (err) {
          failures.push({ name: r.name, err });
          this.logger.error(
            { [LOG_FIELDS.controller]: r.name, [LOG_FIELDS.err]: err },
            'leader-only component failed to start',
          );
        }
      }),
    );
    const [first] = failures;
    if (first === undefined) return;
    const names = failures.map((f) => f.name).join(', ');
    throw new LeaderElectionError(`leader-only components failed to start: ${names}`, {
      cause: failures.length === 1 ? first.err : new AggregateError(failures.map((f) => f.err)),
    });
  }

  async onStoppedLeading(reason: StoppedLeadingReason): Promise<void> {
    this.leading = false;
    const drain = reason === 'shutdown';
    await Promise.all(
      this.runnables.map(async (r) => {
        try {
          await r.stop({ drain });
        } catch (err) {
          this.logger.error(
            { [LOG_FIELDS.controller]: r.name, [LOG_FIELDS.err]: err },
            'leader-only component failed to stop',
          );
        }
      }),
    );
  }
}
