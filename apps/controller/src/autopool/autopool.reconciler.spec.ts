import { FINALIZER } from '@spiderpool/crd-types';
import { IPSet, LABEL_AUTO_POOL_RECLAIM, LABEL_OWNER_APPLICATION_UID } from '@spiderpool/ipam-core';
import { TerminalError } from '@spiderpool/k8s-runtime';
import { FakeCluster, testContext } from '../api-client/fake-cluster.fake.js';
import { KINDS } from '../api-client/resource-kinds.js';
import { FakeEventPort } from '../events/event.port.fake.js';
import type { PoolObject, SubnetObject } from '../ippool/ippool.types.js';
import { SubnetManager } from '../subnet/subnet.manager.js';
import { AutoPoolManager } from './autopool.manager.js';
import { AutoPoolReconciler } from './autopool.reconciler.js';
import type { WorkloadObject } from './workload.js';

const G = 'spiderpool.spidernet.io/v2beta1';
const POLICY = { attempts: 5, baseMs: 0, maxMs: 0 };

function setup() {
  const cluster = new FakeCluster();
  const events = new FakeEventPort();
  const manager = new AutoPoolManager(cluster.client, new SubnetManager(cluster.client, POLICY), (f) => IPSet.fromRanges(f, f === 4 ? ['10.1.0.12'] : []), POLICY);
  const reconciler = new AutoPoolReconciler(KINDS.deployment, cluster.cache<WorkloadObject>(KINDS.deployment), manager, events, {
    enableIPv4: true,
    enableIPv6: false,
    defaultRedundant: 0,
  });
  cluster.client.seed(KINDS.subnet, {
    apiVersion: G,
    kind: 'SpiderSubnet',
    metadata: { name: 's', finalizers: [FINALIZER] },
    spec: { subnet: '10.1.0.0/24', ips: ['10.1.0.10-10.1.0.19'], gateway: '10.1.0.1' },
  } as SubnetObject);
  const deploy = (replicas: number, annotations: Record<string, string> = { 'ipam.spidernet.io/subnet': '{"ipv4":["s"]}', 'ipam.spidernet.io/ippool-ip-number': '+1' }) =>
    cluster.client.seed(KINDS.deployment, {
      metadata: { name: 'web', namespace: 'ns', uid: 'aaaa-bbbb-12345678' },
      spec: { replicas, template: { metadata: { annotations } } },
    } as WorkloadObject);
  const pools = () => cluster.client.all<PoolObject>(KINDS.ippool);
  const controlled = () => JSON.parse(cluster.client.peek<SubnetObject>(KINDS.subnet, { name: 's' })?.status?.controlledIPPools ?? '{}') as Record<string, { ips: string[] }>;
  const run = () => reconciler.reconcile({ namespace: 'ns', name: 'web' }, testContext());
  return { cluster, events, deploy, pools, controlled, run };
}

describe('AutoPoolReconciler', () => {
  it('creates an auto pool of replicas+N from the lowest free, unreserved subnet IPs, recorded in the subnet', async () => {
    const t = setup();
    t.deploy(2);
    await t.run();
    const [p] = t.pools();
    expect(p?.metadata.name).toBe('auto4-web-eth0-12345');
    expect(p?.spec).toMatchObject({ ipVersion: 4, subnet: '10.1.0.0/24', ips: ['10.1.0.10-10.1.0.11', '10.1.0.13'], gateway: '10.1.0.1' });
    expect(p?.metadata.annotations).toEqual({ 'ipam.spidernet.io/ippool-ip-number': '+1' });
    expect(p?.metadata.labels).toMatchObject({ [LABEL_OWNER_APPLICATION_UID]: 'aaaa-bbbb-12345678', [LABEL_AUTO_POOL_RECLAIM]: 'true', 'ipam.spidernet.io/owner-spider-subnet': 's' });
    expect(p?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'SpiderSubnet', name: 's', controller: true });
    expect(t.controlled()).toEqual({ 'auto4-web-eth0-12345': { ips: ['10.1.0.10-10.1.0.11', '10.1.0.13'], application: 'apps_v1_Deployment_ns_web' } });
    const writes = t.cluster.client.writes.length;
    await t.run(); // converged → no write
    expect(t.cluster.client.writes.length).toBe(writes);
  });

  it('grows and shrinks with replicas and never drops an allocated IP', async () => {
    const t = setup();
    t.deploy(4);
    await t.run();
    const name = 'auto4-web-eth0-12345';
    const p = t.cluster.client.peek<PoolObject>(KINDS.ippool, { name }) as PoolObject;
    // The agent allocated the lowest IP of the pool.
    t.cluster.client.seed(KINDS.ippool, { ...p, status: { allocatedIPs: '{"10.1.0.10":{"pod":"ns/web-1","podUid":"u1"}}', allocatedIPCount: 1 } });
    t.deploy(1);
    await t.run();
    expect(t.cluster.client.peek<PoolObject>(KINDS.ippool, { name })?.spec.ips).toEqual(['10.1.0.10', '10.1.0.15']);
    expect(t.controlled()[name]?.ips).toEqual(['10.1.0.10', '10.1.0.15']);
    t.deploy(0, { 'ipam.spidernet.io/subnet': '{"ipv4":["s"]}', 'ipam.spidernet.io/ippool-ip-number': '0' });
    await expect(t.run()).rejects.toThrow(/not enough/);
    expect(t.events.reasons()).toEqual(['AutoPoolIPsNotEnough']);
    expect(t.cluster.client.peek<PoolObject>(KINDS.ippool, { name })?.spec.ips).toContain('10.1.0.10');
  });

  it('reclaims reclaimable pools when the workload is gone, keeps reclaim=false pools', async () => {
    const t = setup();
    t.deploy(1);
    await t.run();
    await t.cluster.client.delete(KINDS.deployment, { namespace: 'ns', name: 'web' });
    await t.run();
    expect(t.pools()[0]?.metadata.deletionTimestamp).toBeDefined();

    const u = setup();
    u.deploy(1, { 'ipam.spidernet.io/subnet': '{"ipv4":["s"]}', 'ipam.spidernet.io/ippool-reclaim': 'false' });
    await u.run();
    await u.cluster.client.delete(KINDS.deployment, { namespace: 'ns', name: 'web' });
    await u.run();
    expect(u.pools()[0]?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('rejects a malformed annotation with an event and retries a missing subnet', async () => {
    const t = setup();
    t.deploy(1, { 'ipam.spidernet.io/subnet': '{not json' });
    await expect(t.run()).rejects.toBeInstanceOf(TerminalError);
    t.deploy(1, { 'ipam.spidernet.io/subnet': '{"ipv4":["missing"]}' });
    await expect(t.run()).rejects.not.toBeInstanceOf(TerminalError);
    expect(t.events.reasons()).toEqual(['InvalidSubnetAnnotation', 'SubnetNotFound']);
  });
});
