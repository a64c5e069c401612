import { ApiException } from '@kubernetes/client-node';
import { FakeClock } from './clock.fake.js';
import { ConflictRetriesExhaustedError } from './errors.js';
import { retryOnConflict } from './retry-on-conflict.js';

interface Doc {
  resourceVersion: string;
  count: number;
}

/** An API-server-like store: writes must carry the current resourceVersion. */
class FakeStore {
  doc: Doc = { resourceVersion: '1', count: 0 };
  reads = 0;
  writes = 0;
  /** Concurrent writers to simulate before each of our writes lands. */
  interferences = 0;

  async read(): Promise<Doc> {
    this.reads++;
    return { ...this.doc };
  }

  async write(next: Doc): Promise<Doc> {
    this.writes++;
    if (this.interferences > 0) {
      this.interferences--;
      this.bump(100);
    }
    if (next.resourceVersion !== this.doc.resourceVersion) {
      throw new ApiException(
        409,
        'Conflict',
        JSON.stringify({ kind: 'Status', code: 409, reason: 'Conflict' }),
        {},
      );
    }
    this.doc = { ...next, resourceVersion: String(Number(this.doc.resourceVersion) + 1) };
    return { ...this.doc };
  }

  bump(by: number): void {
    this.doc = { count: this.doc.count + by, resourceVersion: String(Number(this.doc.resourceVersion) + 1) };
  }
}

const increment = (d: Doc): Doc => ({ ...d, count: d.count + 1 });

async function runWithClock<T>(clock: FakeClock, p: Promise<T>): Promise<T> {
  let settled = false;
  const tracked = p.finally(() => (settled = true));
  while (!settled) await clock.advance(1000);
  return tracked;
}

describe('retryOnConflict', () => {
  it('re-reads and re-decides on conflict, then writes with the fresh resourceVersion', async () => {
    const store = new FakeStore();
    store.interferences = 2;
    const clock = new FakeClock();
    const seen: number[] = [];
    const result = await runWithClock(
      clock,
      retryOnConflict(
        () => store.read(),
        (d, attempt) => {
          seen.push(attempt);
          return increment(d);
        },
        (d) => store.write(d),
        { attempts: 5, baseMs: 10, maxMs: 100 },
        { clock, random: () => 0.5 },
      ),
    );
    expect(seen).toEqual([1, 2, 3]);
    expect(store.reads).toBe(3);
    expect(result?.count).toBe(201); // both interfering writes preserved, ours applied on top
    expect(store.doc.count).toBe(201);
  });

  it('returns undefined without writing when decide finds nothing to do', async () => {
    const store = new FakeStore();
    const r = await retryOnConflict(
      () => store.read(),
      () => undefined,
      (d: Doc) => store.write(d),
    );
    expect(r).toBeUndefined();
    expect(store.writes).toBe(0);
  });

  it('throws ConflictRetriesExhaustedError with the last conflict as cause after the attempt budget', async () => {
    const store = new FakeStore();
    store.interferences = 10;
    const clock = new FakeClock();
    const err = await runWithClock(
      clock,
      retryOnConflict(
        () => store.read(),
        increment,
        (d) => store.write(d),
        { attempts: 3, baseMs: 10, maxMs: 100 },
        { clock },
      ).catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(ConflictRetriesExhaustedError);
    expect((err as ConflictRetriesExhaustedError).attempts).toBe(3);
    expect((err as Error).cause).toBeInstanceOf(ApiException);
    expect(store.writes).toBe(3);
  });

  it('propagates non-conflict errors immediately', async () => {
    const store = new FakeStore();
    const forbidden = new ApiException(403, 'Forbidden', '', {});
    await expect(
      retryOnConflict(
        () => store.read(),
        increment,
        () => Promise.reject(forbidden),
      ),
    ).rejects.toBe(forbidden);
  });

  it('draws each delay from a jittered, capped exponential window', async () => {
    const store = new FakeStore();
    store.interferences = 4;
    const clock = new FakeClock(0);
    const readTimes: number[] = [];
    const p = retryOnConflict(
      () => {
        readTimes.push(clock.now());
        return store.read();
      },
      increment,
      (d) => store.write(d),
      { attempts: 5, baseMs: 100, maxMs: 300 },
      { clock, random: () => 0.5 },
    );
    await clock.advance(10_000);
    await p;
    // delays: 0.5·100, 0.5·200, 0.5·300 (capped), 0.5·300
    expect(readTimes.map((t, i) => t - (readTimes[i - 1] ?? 0))).toEqual([0, 50, 100, 150, 150]);
  });
});
