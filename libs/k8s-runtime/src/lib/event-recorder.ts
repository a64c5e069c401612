import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.port.js';
import type { EventRecord, EventRegarding, EventSink } from './event-sink.port.js';
import { isNotFound } from './k8s-error-code.js';
import { LOG_FIELDS } from './log-fields.js';

export interface EventInput {
  type: 'Normal' | 'Warning';
  /** CamelCase machine-readable reason, e.g. `InvalidSpec`. */
  reason: string;
  /** What the controller did or failed to do, e.g. `Reconcile`. */
  action: string;
  /** Human-readable message (truncated to the API's 1 kB limit). */
  note: string;
}

export interface EventRecorderOptions {
  sink: EventSink;
  /** e.g. `spiderpool.spidernet.io/spiderpool-controller`. */
  reportingController: string;
  /** This replica, e.g. the pod name. */
  reportingInstance: string;
  logger: Logger;
  clock?: Clock;
  /** Identical events within this window update the first one's `series` instead of creating a new Event. Default 6 min. */
  seriesWindowMs?: number;
  /** Bound of the de-duplication cache. Default 4096. */
  maxCachedEvents?: number;
}

interface SeriesState {
  namespace: string;
  name: string;
  count: number;
  lastObserved: number;
}

const NOTE_LIMIT = 1024;

/**
 * Writes `events.k8s.io/v1` Events. Identical events (same object, type, reason, action, note) within the series
 * window are aggregated client-go style: the first creates an Event, later ones set `series.count` and
 * `series.lastObservedTime` on it. Recording never throws: an unwritable Event is logged at warn and dropped.
 */
export class EventRecorder {
  private readonly clock: Clock;
  private readonly window: number;
  private readonly max: number;
  private readonly series = new Map<string, SeriesState>();

  constructor(private readonly options: EventRecorderOptions) {
    this.clock = options.clock ?? systemClock;
    this.window = options.seriesWindowMs ?? 6 * 60_000;
    this.max = options.maxCachedEvents ?? 4096;
  }

  async record(regarding: EventRegarding, input: EventInput): Promise<void> {
    const now = this.clock.now();
    const note = input.note.length > NOTE_LIMIT ? `${input.note.slice(0, NOTE_LIMIT - 3)}...` : input.note;
    const key = JSON.stringify([
      regarding.kind,
      regarding.namespace,
      regarding.name,
      regarding.uid,
      input.type,
      input.reason,
      input.action,
      note,
    ]);
    const existing = this.series.get(key);
    try {
      if (existing && now - existing.lastObserved < this.window) {
        existing.count++;
        existing.lastObserved = now;
        try {
          await this.options.sink.updateSeries(existing.namespace, existing.name, {
            count: existing.count,
            lastObservedTime: now,
          });
          return;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          this.series.delete(key); // the Event expired (TTL): start a new one
        }
      }
      const event: EventRecord = {
        namespace: regarding.namespace || 'default',
        name: `${regarding.name}.${(BigInt(now) * 1_000_000n + BigInt(this.series.size)).toString(16)}`,
        regarding,
        type: input.type,
        reason: input.reason,
        action: input.action,
        note,
        eventTime: now,
        reportingController: this.options.reportingController,
        reportingInstance: this.options.reportingInstance,
      };
      await this.options.sink.create(event);
      this.remember(key, { namespace: event.namespace, name: event.name, count: 1, lastObserved: now });
    } catch (err) {
      this.options.logger.warn(
        {
          [LOG_FIELDS.kind]: regarding.kind,
          [LOG_FIELDS.namespace]: regarding.namespace,
          [LOG_FIELDS.name]: regarding.name,
          [LOG_FIELDS.reason]: input.reason,
          [LOG_FIELDS.err]: err,
        },
        'failed to record event',
      );
    }
  }

  private remember(key: string, state: SeriesState): void {
    this.series.delete(key);
    this.series.set(key, state);
    while (this.series.size > this.max) {
      const oldest = this.series.keys().next().value;
      if (oldest === undefined) break;
      this.series.delete(oldest);
    }
  }
}
