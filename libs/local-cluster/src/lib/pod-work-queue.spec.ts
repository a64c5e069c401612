import { PodWorkQueue } from './pod-work-queue.js';
import { ManualScheduler } from './scheduler.fake.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => undefined as void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('PodWorkQueue', () => {
  it('runs one worker per key and re-runs a key that was added while running', async () => {
    const gate = deferred();
    const calls: string[] = [];
    const queue = new PodWorkQueue(
      async (key) => {
        calls.push(key);
        if (calls.length === 1) await gate.promise;
      },
      { concurrency: 4, baseBackoffMs: 10, maxBackoffMs: 100, scheduler: new ManualScheduler() },
    );
    queue.add('a');
    queue.add('a');
    queue.add('a');
    expect(calls).toEqual(['a']);
    gate.resolve();
    await queue.idle();
    expect(calls).toEqual(['a', 'a']);
  });

  it('never runs more keys at once than the concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const queue = new PodWorkQueue(
      async (key) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        const g = deferred();
        gates.set(key, g);
        await g.promise;
        inFlight--;
      },
      { concurrency: 2, baseBackoffMs: 10, maxBackoffMs: 100, scheduler: new ManualScheduler() },
    );
    for (const k of ['a', 'b', 'c', 'd']) queue.add(k);
    expect([...gates.keys()]).toEqual(['a', 'b']);
    while (gates.size > 0) {
      const [k, g] = [...gates][0] as [string, ReturnType<typeof deferred>];
      gates.delete(k);
      g.resolve();
      await new Promise((r) => setImmediate(r));
    }
    await queue.idle();
    expect(peak).toBe(2);
  });

  it('retries failures with exponential backoff up to the cap and resets after a success', async () => {
    const scheduler = new ManualScheduler();
    let failuresLeft = 4;
    const retries: number[] = [];
    const queue = new PodWorkQueue(
      async () => {
        if (failuresLeft-- > 0) throw new Error('cni down');
      },
      {
        concurrency: 1,
        baseBackoffMs: 100,
        maxBackoffMs: 500,
        scheduler,
        onRetry: (_k, _e, ms) => retries.push(ms),
      },
    );
    queue.add('pod');
    for (let i = 0; i < 4; i++) {
      await queue.idle();
      scheduler.fireAll();
    }
    await queue.idle();
    expect(retries).toEqual([100, 200, 400, 500]);
    expect(queue.failureCount('pod')).toBe(0);
    expect(scheduler.delays()).toEqual([]);
  });

  it('drops pending retries on shutdown', async () => {
    const scheduler = new ManualScheduler();
    let runs = 0;
    const queue = new PodWorkQueue(
      async () => {
        runs++;
        throw new Error('x');
      },
      { concurrency: 1, baseBackoffMs: 1, maxBackoffMs: 1, scheduler },
    );
    queue.add('pod');
    await queue.idle();
    await queue.shutdown();
    scheduler.fireAll();
    await queue.idle();
    expect(runs).toBe(1);
  });
});
