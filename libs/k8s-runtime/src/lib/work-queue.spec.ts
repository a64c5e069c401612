import { Registry } from 'prom-client';
import { FakeClock, flushAsync } from './clock.fake.js';
import { runtimeMetrics } from './runtime-metrics.js';
import { backoffDelay, WorkQueue } from './work-queue.js';

async function nextKey(queue: WorkQueue): Promise<string> {
  const key = await queue.get();
  if (key === undefined) throw new Error('queue shut down');
  return key;
}

function setup(): { queue: WorkQueue; clock: FakeClock; registry: Registry } {
  const clock = new FakeClock();
  const registry = new Registry();
  const queue = new WorkQueue({
    name: 'test',
    clock,
    metrics: runtimeMetrics(registry),
    backoff: { baseMs: 100, maxMs: 1000 },
  });
  return { queue, clock, registry };
}

async function metricValue(registry: Registry, name: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => v.labels['controller'] === 'test')?.value;
}

describe('WorkQueue', () => {
  it('de-duplicates keys that are waiting', async () => {
    const { queue, registry } = setup();
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/b');
    expect(queue.len()).toBe(2);
    expect(await queue.get()).toBe('ns/a');
    expect(await queue.get()).toBe('ns/b');
    expect(await metricValue(registry, 'spiderpool_workqueue_adds_total')).toBe(2);
  });

  it('hands a key to one worker at a time and re-queues an add made while in flight', async () => {
    const { queue } = setup();
    queue.add('k');
    const first = await queue.get();
    queue.add('k'); // while processing
    expect(queue.len()).toBe(0); // not handed out twice
    let second: string | undefined;
    void queue.get().then((k) => (second = k));
    await flushAsync();
    expect(second).toBeUndefined();
    queue.done(first ?? '');
    await flushAsync();
    expect(second).toBe('k');
  });

  it('collapses several adds during processing into one re-queue', async () => {
    const { queue } = setup();
    queue.add('k');
    const key = await nextKey(queue);
    queue.add('k');
    queue.add('k');
    queue.done(key);
    expect(queue.len()).toBe(1);
  });

  it('wakes a waiting worker on add', async () => {
    const { queue } = setup();
    const pending = queue.get();
    queue.add('x');
    expect(await pending).toBe('x');
  });

  it('addAfter waits on the injected clock and keeps the earliest deadline', async () => {
    const { queue, clock } = setup();
    queue.addAfter('k', 500);
    queue.addAfter('k', 200);
    queue.addAfter('k', 900);
    await clock.advance(199);
    expect(queue.len()).toBe(0);
    await clock.advance(1);
    expect(queue.len()).toBe(1);
    await clock.advance(1000);
    expect(queue.len()).toBe(1); // the later deadlines were dropped
  });

  it('backs off exponentially per key with a cap, and forget resets it', async () => {
    const { queue, clock, registry } = setup();
    expect([1, 2, 3, 4, 5].map(() => queue.addRateLimited('a'))).toEqual([100, 200, 400, 800, 1000]);
    expect(queue.addRateLimited('b')).toBe(100); // independent per key
    expect(queue.numRequeues('a')).toBe(5);
    queue.forget('a');
    expect(queue.numRequeues('a')).toBe(0);
    expect(queue.addRateLimited('a')).toBe(100);
    expect(await metricValue(registry, 'spiderpool_workqueue_retries_total')).toBe(7);
    await clock.advance(100);
    expect(queue.len()).toBe(2);
  });

  it('backoffDelay saturates instead of overflowing', () => {
    expect(backoffDelay({ baseMs: 5, maxMs: 1000 }, 5000)).toBe(1000);
    expect(backoffDelay({ baseMs: 5, maxMs: 1000 }, 0)).toBe(0);
  });

  it('shutdown({ drain: true }) hands out queued keys, waits for in-flight ones, then ends workers', async () => {
    const { queue, clock } = setup();
    queue.add('a');
    queue.add('b');
    queue.addAfter('late', 100);
    const inFlight = await nextKey(queue);
    let drained = false;
    const shutdown = queue.shutdown({ drain: true }).then(() => (drained = true));
    queue.add('c'); // refused after shutdown
    expect(await queue.get()).toBe('b');
    queue.done('b');
    await clock.advance(200); // delayed key was cancelled
    await flushAsync();
    expect(drained).toBe(false); // 'a' still in flight
    queue.done(inFlight);
    await shutdown;
    expect(drained).toBe(true);
    expect(await queue.get()).toBeUndefined();
  });

  it('shutdown while draining keeps a worker waiting for a key re-queued by an in-flight item', async () => {
    const { queue } = setup();
    queue.add('k');
    const key = await nextKey(queue);
    queue.add('k'); // dirty before shutdown
    const shutdown = queue.shutdown({ drain: true });
    const next = queue.get();
    queue.done(key);
    expect(await next).toBe('k');
    queue.done('k');
    await shutdown;
    expect(await queue.get()).toBeUndefined();
  });

  it('shutdown({ drain: false }) drops queued keys and waits only for in-flight ones', async () => {
    const { queue } = setup();
    queue.add('a');
    queue.add('b');
    const inFlight = await nextKey(queue);
    queue.add('a'); // would be re-queued, but the queue is not draining
    const shutdown = queue.shutdown({ drain: false });
    expect(await queue.get()).toBeUndefined();
    queue.done(inFlight);
    await shutdown;
    expect(queue.len()).toBe(0);
  });

  it('exports depth as a gauge', async () => {
    const { queue, registry } = setup();
    queue.add('a');
    queue.add('b');
    expect(await metricValue(registry, 'spiderpool_workqueue_depth')).toBe(2);
    await queue.get();
    expect(await metricValue(registry, 'spiderpool_workqueue_depth')).toBe(1);
  });
});
