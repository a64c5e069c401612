import { FINALIZER } from '@spiderpool/crd-types';
import { TerminalError } from '@spiderpool/k8s-runtime';
import { conflictError } from '../api-client/object-client.fake.js';
import { FakeCluster, testContext } from '../api-client/fake-cluster.fake.js';
import { KINDS } from '../api-client/resource-kinds.js';
import type { ApplicationLookup } from '../autopool/application.lookup.js';
import { FakeEventPort } from '../events/event.port.fake.js';
import { ControllerMetrics } from '../metrics/controller.metrics.js';
import { IPPoolManager } from './ippool.manager.js';
import { IPPoolReconciler } from './ippool.reconciler.js';
import type { PoolObject, ReservedIPObject } from './ippool.types.js';

function pool(name: string, over: Partial<PoolObject['spec']> = {}, status?: PoolObject['status'], meta: Partial<PoolObject['metadata']> = {}): PoolObject {
  return {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderIPPool',
    metadata: { name, finalizers: [FINALIZER], ...meta },
    spec: { subnet: '10.0.0.0/24', ips: ['10.0.0.10-10.0.0.19'], default: false, disable: false, ...over },
    ...(status ? { status } : {}),
  } as PoolObject;
}

function setup(apps: Record<string, string> = {}) {
  const cluster = new FakeCluster();
  const events = new FakeEventPort();
  const metrics = new ControllerMetrics();
  const lookup: ApplicationLookup = { uidOf: async (a) => apps[`${a.kind}/${a.namespace}/${a.name}`] };
  const manager = new IPPoolManager(cluster.client, metrics, { attempts: 5, baseMs: 0, maxMs: 0 });
  const reconciler = new IPPoolReconciler(
    cluster.cache<PoolObject>(KINDS.ippool),
    cluster.cache<ReservedIPObject>(KINDS.reservedIP),
    manager,
    lookup,
    events,
    { autoPoolBackstop: true },
    metrics,
  );
  const run = (name: string) => reconciler.reconcile({ name }, testContext());
  const get = (name: string) => cluster.client.peek<PoolObject>(KINDS.ippool, { name });
  return { cluster, events, metrics, manager, run, get };
}

const alloc = (ips: string[], uid = 'u1') => JSON.stringify(Object.fromEntries(ips.map((ip) => [ip, { pod: 'ns/p', podUid: uid }])));

describe('IPPoolReconciler', () => {
  it('sets totalIPCount = |ips − excludeIPs| and allocatedIPCount from the records', async () => {
    const t = setup();
    t.cluster.client.seed(KINDS.ippool, pool('a', { excludeIPs: ['10.0.0.10', '10.0.0.19'] }, { allocatedIPs: alloc(['10.0.0.11']) }));
    await t.run('a');
    expect(t.get('a')?.status).toMatchObject({ totalIPCount: 8, allocatedIPCount: 1 });
    const writes = t.cluster.client.writes.length;
    await t.run('a');
    expect(t.cluster.client.writes.length).toBe(writes); // nothing changed → no write
  });

  it('initialises allocatedIPCount to 0 and saturates the count of an IPv6 /64 at 2^53−1', async () => {
    const t = setup();
    t.cluster.client.seed(KINDS.ippool, pool('v6', { subnet: 'fd00::/64', ips: ['fd00::-fd00::ffff:ffff:ffff:ffff'] }));
    await t.run('v6');
    expect(t.get('v6')?.status).toEqual({ totalIPCount: Number.MAX_SAFE_INTEGER, allocatedIPCount: 0 });
  });

  it('re-reads and retries when the agent writes the pool concurrently', async () => {
    const t = setup();
    t.cluster.client.seed(KINDS.ippool, pool('a'));
    let injected = 0;
    t.cluster.client.beforeWrite = (verb) => {
      if (verb === 'replaceStatus' && injected++ === 0) {
        t.cluster.client.beforeWrite = undefined;
        const cur = t.get('a') as PoolObject;
        t.cluster.client.seed(KINDS.ippool, { ...cur, status: { allocatedIPs: alloc(['10.0.0.12']), allocatedIPCount: 1 } });
        throw conflictError();
      }
    };
    await t.run('a');
    expect(t.get('a')?.status).toMatchObject({ allocatedIPCount: 1, totalIPCount: 10, allocatedIPs: alloc(['10.0.0.12']) });
  });

  it('keeps a terminating pool while it has allocations and lets it go once empty', async () => {
    const t = setup();
    t.cluster.client.seed(KINDS.ippool, pool('a', {}, { allocatedIPs: alloc(['10.0.0.11']), allocatedIPCount: 1 }));
    await t.cluster.client.delete(KINDS.ippool, { name: 'a' });
    await t.run('a');
    expect(t.get('a')?.metadata.finalizers).toEqual([FINALIZER]);
    await t.manager.release('a', [{ ip: '10.0.0.11', podUid: 'u1' }]);
    await t.run('a');
    expect(t.get('a')).toBeUndefined();
  });

  it('reports allocated IPs outside the pool range and reserved IPs as Warning events', async () => {
    const t = setup();
    t.cluster.client.seed(KINDS.reservedIP, {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderReservedIP',
      metadata: { name: 'r' },
      spec: { ipVersion: 4, ips: ['10.0.0.12'] },
    } as ReservedIPObject);
    t.cluster.client.seed(KINDS.ippool, pool('a', { excludeIPs: ['10.0.0.11'] }, { allocatedIPs: alloc(['10.0.0.11', '10.0.0.12', '10.0.0.13']) }));
    await t.run('a');
    expect(t.events.reasons().sort()).toEqual(['AllocatedIPOutOfRange', 'ReservedIPAllocated']);
    // Reserved IPs are not subtracted from totalIPCount (ipam.md §6.4).
    expect(t.get('a')?.status?.totalIPCount).toBe(9);
  });

  it('turns a malformed spec into a terminal error with an InvalidSpec event', async () => {
    const t = setup();
    t.cluster.client.seed(KINDS.ippool, pool('bad', { ips: ['10.0.1.1'] }));
    await expect(t.run('bad')).rejects.toBeInstanceOf(TerminalError);
    expect(t.events.reasons()).toEqual(['InvalidSpec']);
  });

  it('deletes an empty reclaimable auto pool whose application is gone, keeps one whose app exists', async () => {
    const labels = (uid: string) => ({
      'ipam.spidernet.io/owner-application-name': 'web',
      'ipam.spidernet.io/owner-application-gv': 'apps_v1',
      'ipam.spidernet.io/owner-application-kind': 'Deployment',
      'ipam.spidernet.io/owner-application-namespace': 'ns',
      'ipam.spidernet.io/owner-application-uid': uid,
      'ipam.spidernet.io/ippool-reclaim': 'true',
    });
    const t = setup({ 'Deployment/ns/web': 'uid-live' });
    t.cluster.client.seed(KINDS.ippool, pool('live', {}, undefined, { labels: labels('uid-live') }));
    t.cluster.client.seed(KINDS.ippool, pool('stale', {}, undefined, { labels: labels('uid-old') }));
    await t.run('live');
    await t.run('stale');
    expect(t.get('live')).toBeDefined();
    // The stale pool is terminating (finalizer) and then released by the empty-pool path.
    await t.run('stale');
    expect(t.get('stale')).toBeUndefined();
  });

  it('publishes per-pool gauges and drops them when the pool is gone', async () => {
    const t = setup();
    t.cluster.client.seed(KINDS.ippool, pool('a', {}, { allocatedIPs: alloc(['10.0.0.11']) }));
    await t.run('a');
    expect(await t.metrics.debugRegistry.getSingleMetricAsString('spiderpool_debug_ippool_available_ip_counts')).toContain('{SpiderIPPool="a"} 9');
    await t.cluster.client.delete(KINDS.ippool, { name: 'a' });
    await t.manager.release('a', [{ ip: '10.0.0.11', podUid: 'u1' }]);
    await t.run('a');
    await t.run('a');
    expect(await t.metrics.debugRegistry.getSingleMetricAsString('spiderpool_debug_ippool_available_ip_counts')).not.toContain('SpiderIPPool="a"');
  });
});
