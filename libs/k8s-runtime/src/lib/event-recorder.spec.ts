import { ApiException } from '@kubernetes/client-node';
import { FakeClock } from './clock.fake.js';
import { EventRecorder } from './event-recorder.js';
import type { EventRecord, EventSeries, EventSink } from './event-sink.port.js';
import { captureLogger } from './logger.fake.js';

class FakeEventSink implements EventSink {
  created: EventRecord[] = [];
  series: Array<{ name: string; series: EventSeries }> = [];
  failCreate: unknown;
  missing = new Set<string>();

  async create(event: EventRecord): Promise<void> {
    if (this.failCreate !== undefined) throw this.failCreate;
    this.created.push(event);
  }

  async updateSeries(_ns: string, name: string, series: EventSeries): Promise<void> {
    if (this.missing.has(name)) throw new ApiException(404, 'NotFound', '{"reason":"NotFound"}', {});
    this.series.push({ name, series });
  }
}

const pool = { apiVersion: 'spiderpool.spidernet.io/v2beta1', kind: 'SpiderIPPool', name: 'p1', uid: 'u1' };
const warning = {
  type: 'Warning' as const,
  reason: 'InvalidSpec',
  action: 'Reconcile',
  note: 'gateway outside subnet',
};

function setup() {
  const clock = new FakeClock();
  const sink = new FakeEventSink();
  const { logger, records } = captureLogger();
  const recorder = new EventRecorder({
    sink,
    reportingController: 'spiderpool.spidernet.io/spiderpool-controller',
    reportingInstance: 'controller-0',
    logger,
    clock,
    seriesWindowMs: 60_000,
  });
  return { clock, sink, recorder, records };
}

describe('EventRecorder', () => {
  it('creates an Event in the object namespace, or default for cluster-scoped objects', async () => {
    const { sink, recorder } = setup();
    await recorder.record(pool, warning);
    await recorder.record({ ...pool, kind: 'Pod', namespace: 'ns1', name: 'pod' }, warning);
    expect(sink.created.map((e) => e.namespace)).toEqual(['default', 'ns1']);
    expect(sink.created[0]).toMatchObject({
      regarding: pool,
      reason: 'InvalidSpec',
      reportingController: 'spiderpool.spidernet.io/spiderpool-controller',
      reportingInstance: 'controller-0',
    });
    expect(sink.created[0]?.name.startsWith('p1.')).toBe(true);
  });

  it('aggregates identical events within the window into a series', async () => {
    const { clock, sink, recorder } = setup();
    await recorder.record(pool, warning);
    await clock.advance(10_000);
    await recorder.record(pool, warning);
    await clock.advance(10_000);
    await recorder.record(pool, warning);
    expect(sink.created).toHaveLength(1);
    expect(sink.series.map((s) => s.series.count)).toEqual([2, 3]);
    expect(sink.series[1]?.series.lastObservedTime).toBe(clock.now());
    await recorder.record(pool, { ...warning, note: 'other' });
    expect(sink.created).toHaveLength(2);
  });

  it('starts a new Event after the window or when the old one is gone', async () => {
    const { clock, sink, recorder } = setup();
    await recorder.record(pool, warning);
    await clock.advance(61_000);
    await recorder.record(pool, warning);
    expect(sink.created).toHaveLength(2);
    sink.missing.add(sink.created[1]?.name ?? '');
    await recorder.record(pool, warning);
    expect(sink.created).toHaveLength(3);
  });

  it('never throws; logs a warning instead', async () => {
    const { sink, recorder, records } = setup();
    sink.failCreate = new Error('forbidden');
    await expect(recorder.record(pool, warning)).resolves.toBeUndefined();
    expect(records.some((r) => r['msg'] === 'failed to record event' && r['level'] === 40)).toBe(true);
  });
});
