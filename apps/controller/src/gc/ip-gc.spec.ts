import { FINALIZER } from '@spiderpool/crd-types';
import { FakeClock } from '@spiderpool/k8s-runtime';
import { pino } from 'pino';
import { FakeCluster } from '../api-client/fake-cluster.fake.js';
import { KINDS } from '../api-client/resource-kinds.js';
import { IPPoolManager } from '../ippool/ippool.manager.js';
import type { EndpointObject, PoolObject } from '../ippool/ippool.types.js';
import { ControllerMetrics } from '../metrics/controller.metrics.js';
import type { NodeObject, PodObject } from './gc.types.js';
import { IpGc, type IpGcOptions } from './ip-gc.js';
import { LiveStaticValidity } from './static-validity.js';

const OPTIONS: IpGcOptions = {
  enabled: true,
  statelessTerminatingOnReadyNode: true,
  statelessTerminatingOnNotReadyNode: true,
  statelessRunningOnEmptyPodIPs: false,
  additionalGraceDelaySeconds: 0,
  enableStatefulSet: true,
  enableKubevirtStaticIP: true,
  scanIntervalMs: 600_000,
  traceIntervalMs: 5_000,
  confirmDelayMs: 5_000,
  maxTraceEntries: 100,
  maxRetries: 5,
};

function setup() {
  const clock = new FakeClock();
  const cluster = new FakeCluster(() => clock.now());
  const metrics = new ControllerMetrics();
  const manager = new IPPoolManager(cluster.client, metrics, { attempts: 5, baseMs: 0, maxMs: 0 });
  const gc = new IpGc(
    {
      pools: cluster.cache<PoolObject>(KINDS.ippool),
      endpoints: cluster.cache<EndpointObject>(KINDS.endpoint),
      pods: cluster.cache<PodObject>(KINDS.pod),
      nodes: cluster.cache<NodeObject>(KINDS.node),
    },
    undefined,
    cluster.client,
    manager,
    new LiveStaticValidity(cluster.client),
    OPTIONS,
    pino({ level: 'silent' }),
    metrics,
    clock,
  );
  const c = cluster.client;
  c.seed(KINDS.node, { metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as NodeObject);
  /** Allocation the way the agent writes it: pool record + endpoint. */
  const allocate = (podName: string, ip: string, uid: string, ownerType = 'Deployment') => {
    const pool = c.peek<PoolObject>(KINDS.ippool, { name: 'p' });
    const records = JSON.parse(pool?.status?.allocatedIPs ?? '{}') as Record<string, unknown>;
    records[ip] = { pod: `ns/${podName}`, podUid: uid };
    c.seed(KINDS.ippool, {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderIPPool',
      metadata: { name: 'p', finalizers: [FINALIZER] },
      spec: { subnet: '10.0.0.0/24', ips: ['10.0.0.1-10.0.0.100'], default: false, disable: false },
      status: { allocatedIPs: JSON.stringify(records), allocatedIPCount: Object.keys(records).length },
    } as PoolObject);
    c.seed(KINDS.endpoint, {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderEndpoint',
      metadata: { name: podName, namespace: 'ns', finalizers: [FINALIZER] },
      status: {
        current: { uid, node: 'n1', ips: [{ interface: 'eth0', ipv4: `${ip}/24`, ipv4Pool: 'p', vlan: 0 }] },
        ownerControllerType: ownerType,
        ownerControllerName: 'x',
      },
    } as EndpointObject);
  };
  const pod = (name: string, uid: string, extra: Partial<PodObject> = {}): PodObject =>
    c.seed(KINDS.pod, {
      metadata: { name, namespace: 'ns', uid, ...(extra.metadata ?? {}) },
      spec: { nodeName: 'n1' },
      status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] },
      ...extra,
    } as PodObject);
  const records = () => JSON.parse(c.peek<PoolObject>(KINDS.ippool, { name: 'p' })?.status?.allocatedIPs ?? '{}') as Record<string, { podUid: string }>;
  return { clock, cluster, c, gc, allocate, pod, records, metrics };
}

describe('IpGc', () => {
  it('releases the IP of a pod deleted while its agent was down, only after the confirm delay', async () => {
    const t = setup();
    t.allocate('web-1', '10.0.0.5', 'uid-1');
    expect(await t.gc.scanAll()).toEqual({ records: 1, suspects: 1 });
    expect(await t.gc.processDue()).toBe(0); // not due yet: the scan never releases by itself
    expect(t.records()['10.0.0.5']).toBeDefined();
    await t.clock.advance(5_000);
    expect(await t.gc.processDue()).toBe(1);
    expect(t.records()).toEqual({});
    expect(t.c.peek(KINDS.endpoint, { namespace: 'ns', name: 'web-1' })).toBeUndefined();
    expect(await t.metrics.registry.getSingleMetricAsString('spiderpool_ip_gc_counts_total')).toContain(' 1');
  });

  it('keeps the IP when the live pod exists although the cache had not seen it', async () => {
    const t = setup();
    t.allocate('web-1', '10.0.0.5', 'uid-1');
    await t.gc.scanAll();
    // The pod appears in the API server only (the cache lags).
    t.c.seed(KINDS.pod, { metadata: { name: 'web-1', namespace: 'ns', uid: 'uid-1' }, spec: { nodeName: 'n1' }, status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] } } as PodObject);
    t.cluster.cache<PodObject>(KINDS.pod).remove({ metadata: { name: 'web-1', namespace: 'ns' } } as PodObject);
    await t.clock.advance(5_000);
    expect(await t.gc.processDue()).toBe(0);
    expect(t.records()['10.0.0.5']).toEqual({ pod: 'ns/web-1', podUid: 'uid-1' });
  });

  it('does not release a record re-owned by a new pod between scan and release', async () => {
    const t = setup();
    t.allocate('web-1', '10.0.0.5', 'uid-old');
    t.pod('web-1', 'uid-new');
    await t.gc.scanAll();
    // The agent re-owns the record for the new incarnation before the confirm step.
    t.allocate('web-1', '10.0.0.5', 'uid-new');
    await t.clock.advance(5_000);
    await t.gc.processDue();
    expect(t.records()['10.0.0.5']).toEqual({ pod: 'ns/web-1', podUid: 'uid-new' });
  });

  it('never frees the IP of a StatefulSet replica that is still valid while it restarts', async () => {
    const t = setup();
    t.c.seed(KINDS.statefulSet, { metadata: { name: 'db', namespace: 'ns' }, spec: { replicas: 2 } } as never);
    t.allocate('db-1', '10.0.0.7', 'uid-a', 'StatefulSet');
    // Pod deleted (restart): the record and endpoint outlive it.
    await t.gc.scanAll();
    await t.clock.advance(5_000);
    await t.gc.processDue();
    expect(t.records()['10.0.0.7']).toBeDefined();
    // Scale down to 1 → db-1 is no longer a valid member → released.
    t.c.seed(KINDS.statefulSet, { metadata: { name: 'db', namespace: 'ns' }, spec: { replicas: 1 } } as never);
    await t.gc.scanAll();
    await t.clock.advance(5_000);
    await t.gc.processDue();
    expect(t.records()['10.0.0.7']).toBeUndefined();
  });

  it('collects a terminating pod past its grace on a deleted node, and a terminating pod with empty podIPs', async () => {
    const t = setup();
    t.allocate('a', '10.0.0.5', 'ua');
    t.allocate('b', '10.0.0.6', 'ub');
    const deletion = new Date(t.clock.now()).toISOString();
    t.pod('a', 'ua', { metadata: { name: 'a', namespace: 'ns', uid: 'ua', deletionTimestamp: deletion, deletionGracePeriodSeconds: 30 }, spec: { nodeName: 'gone-node' } });
    t.pod('b', 'ub', { metadata: { name: 'b', namespace: 'ns', uid: 'ub', deletionTimestamp: deletion, deletionGracePeriodSeconds: 30 }, status: { phase: 'Running', podIPs: [] } });
    await t.gc.scanAll();
    await t.clock.advance(5_000);
    await t.gc.processDue();
    // b: sandbox gone (no podIPs) → released now; a: still within grace → traced until its end.
    expect(Object.keys(t.records())).toEqual(['10.0.0.5']);
    await t.clock.advance(31_000);
    await t.gc.processDue();
    expect(t.records()).toEqual({});
  });
});
