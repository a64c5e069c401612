import { pino } from 'pino';
import { IPSet } from '@spiderpool/ipam-core';
import { FakeCluster } from '../cluster/cluster.fake.js';
import { QueueFullError } from '../errors.js';
import { pool } from '../ipam/fake-agent.fake.js';
import { PoolWriteBatcher } from './pool-write.batcher.js';

const make = (cluster: FakeCluster, maxPending = 100) =>
  new PoolWriteBatcher({
    api: cluster,
    reserved: (f) => IPSet.empty(f),
    policy: { attempts: 3, baseMs: 1, maxMs: 1 },
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
});
