import { pino } from 'pino';
import { IPSet, ResourceVersionConflictError } from '@spiderpool/ipam-core';
import { FakeCluster } from '../cluster/cluster.fake.js';
import { QueueFullError } from '../errors.js';
import { pool } from '../ipam/fake-agent.fake.js';
import type { IPPoolApi } from './ippool-api.port.js';
import { PoolWriteBatcher, type WritePolicy } from './pool-write.batcher.js';

/** The fake API server with network-like latency, so writers on different "nodes" really interleave. */
const slow = (cluster: FakeCluster, ms: number): IPPoolApi => {
  const delay = () => new Promise((r) => setTimeout(r, ms));
  return {
    read: async (name) => {
      await delay();
      return cluster.read(name);
    },
    writeStatus: async (pool) => {
      await delay();
      return cluster.writeStatus(pool);
    },
  };
};

const allocateOne = (b: PoolWriteBatcher, id: string) =>
  b.submit('p', 'allocate', (s) => {
    const r = { podKey: `ns/${id}`, podUid: id, nic: 'eth0' };
    const pick = s.pick(r);
    s.apply(pick, r);
    return pick.ip;
  });

const make = (cluster: FakeCluster, maxPending = 100) =>
  new PoolWriteBatcher({
    api: cluster,
    reserved: (f) => IPSet.empty(f),
    policy: { attempts: 3, timeoutMs: 0, baseMs: 1, maxMs: 1 },
    maxPending,
    logger: pino({ level: 'silent' }),
  });

describe('PoolWriteBatcher', () => {
  it('writes once for requests that queued behind an in-flight write', async () => {
    const cluster = new FakeCluster();
    cluster.addPool(pool('p', { subnet: '10.0.0.0/24', ips: ['10.0.0.1-10.0.0.100'] }));
    const b = make(cluster);
    const req = (i: number) =>
      b.submit('p', 'allocate', (s) => {
        const r = { podKey: `ns/p${i}`, podUid: `u${i}`, nic: 'eth0' };
        const pick = s.pick(r);
        s.apply(pick, r);
        return pick.ip;
      });
    const ips = await Promise.all(Array.from({ length: 20 }, (_, i) => req(i)));
    expect(new Set(ips).size).toBe(20);
    // The first request is written alone; the 19 that queued meanwhile share the second write.
    expect(cluster.poolWrites).toBe(2);
  });

  it('fails only the request whose decision throws', async () => {
    const cluster = new FakeCluster();
    cluster.addPool(pool('p', { subnet: '10.0.0.0/24', ips: ['10.0.0.1-10.0.0.100'] }));
    const b = make(cluster);
    const ok = b.submit('p', 'allocate', (s) => s.records.size);
    const bad = b.submit('p', 'allocate', () => {
      throw new Error('no');
    });
    await expect(ok).resolves.toBe(0);
    await expect(bad).rejects.toThrow('no');
  });

  it('refuses requests beyond the bound of waiting requests per pool', async () => {
    const cluster = new FakeCluster();
    cluster.addPool(pool('p', { subnet: '10.0.0.0/24', ips: ['10.0.0.1'] }));
    // The first request is in flight at once; the second waits; the third exceeds the bound of 1 waiting.
    const b = make(cluster, 1);
    const first = b.submit('p', 'release', () => false);
    const second = b.submit('p', 'release', () => false);
    await expect(b.submit('p', 'release', () => false)).rejects.toBeInstanceOf(QueueFullError);
    await Promise.all([first, second]);
  });

  it('passes a failed read to every request of the batch', async () => {
    const cluster = new FakeCluster();
    const b = make(cluster);
    await expect(b.submit('ghost', 'allocate', () => 1)).rejects.toMatchObject({ code: 404 });
  });

  it('outlasts contention: 10 agents whose conflicts exceed the attempt floor still all succeed', async () => {
    const cluster = new FakeCluster();
    cluster.addPool(pool('p', { subnet: '10.0.0.0/16', ips: ['10.0.0.1-10.0.1.44'] })); // 300 IPs
    const policy: WritePolicy = { attempts: 2, timeoutMs: 20_000, baseMs: 1, maxMs: 20 };
    const agents = Array.from(
      { length: 10 },
      () =>
        new PoolWriteBatcher({
          api: slow(cluster, 2),
          reserved: (f) => IPSet.empty(f),
          policy,
          maxPending: 1000,
          logger: pino({ level: 'silent' }),
        }),
    );
    const results = await Promise.allSettled(
      agents.flatMap((b, a) => Array.from({ length: 30 }, (_, i) => allocateOne(b, `a${a}-${i}`))),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.map((r) => String((r as PromiseRejectedResult).reason)).slice(0, 3)).toEqual([]);
    const ips = results.map((r) => (r as PromiseFulfilledResult<string>).value);
    expect(new Set(ips).size).toBe(300);
    // More rounds conflicted than the attempt floor allows a single batch: only the time budget carried them.
    expect(cluster.poolConflicts).toBeGreaterThan(policy.attempts);
  });

  it('gives up with the typed error once both the attempt floor and the time budget are spent', async () => {
    const cluster = new FakeCluster();
    cluster.addPool(pool('p', { subnet: '10.0.0.0/24', ips: ['10.0.0.1-10.0.0.100'] }));
    cluster.beforePoolWrite = () => cluster.touchPool('p');
    const b = new PoolWriteBatcher({
      api: cluster,
      reserved: (f) => IPSet.empty(f),
      policy: { attempts: 2, timeoutMs: 40, baseMs: 1, maxMs: 2 },
      maxPending: 10,
      logger: pino({ level: 'silent' }),
    });
    const started = Date.now();
    const err = await allocateOne(b, 'u1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceVersionConflictError);
    expect((err as ResourceVersionConflictError).attempts).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(cluster.allocated('p').size).toBe(0);
  });
});
