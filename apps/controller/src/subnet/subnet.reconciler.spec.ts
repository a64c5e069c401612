import { FINALIZER, LABEL_SUBNET_CIDR } from '@spiderpool/crd-types';
import { LABEL_OWNER_SPIDER_SUBNET } from '@spiderpool/ipam-core';
import { labelIndex as cacheLabelIndex, TerminalError } from '@spiderpool/k8s-runtime';
import { FakeCluster, testContext } from '../api-client/fake-cluster.fake.js';
import { KINDS } from '../api-client/resource-kinds.js';
import type { ApplicationLookup } from '../autopool/application.lookup.js';
import { FakeEventPort } from '../events/event.port.fake.js';
import { IPPoolManager } from '../ippool/ippool.manager.js';
import type { PoolObject, SubnetObject } from '../ippool/ippool.types.js';
import { ControllerMetrics } from '../metrics/controller.metrics.js';
import { SubnetManager } from './subnet.manager.js';
import { POOLS_BY_SUBNET, SubnetReconciler } from './subnet.reconciler.js';

const G = 'spiderpool.spidernet.io/v2beta1';
const NO_RETRY_DELAY = { attempts: 5, baseMs: 0, maxMs: 0 };

function subnet(name: string, over: Partial<SubnetObject['spec']> = {}, status?: SubnetObject['status'], meta: Partial<SubnetObject['metadata']> = {}): SubnetObject {
  return {
    apiVersion: G,
    kind: 'SpiderSubnet',
    metadata: { name, finalizers: [FINALIZER], ...meta },
    spec: { subnet: '10.1.0.0/24', ips: ['10.1.0.10-10.1.0.109'], gateway: '10.1.0.1', ...over },
    ...(status ? { status } : {}),
  } as SubnetObject;
}

function pool(name: string, ips: string[], labels: Record<string, string> = {}, over: Partial<PoolObject['spec']> = {}): PoolObject {
  return {
    apiVersion: G,
    kind: 'SpiderIPPool',
    metadata: { name, labels, finalizers: [FINALIZER] },
    spec: { subnet: '10.1.0.0/24', ips, default: false, disable: false, ...over },
  } as PoolObject;
}

function setup(apps: Record<string, string> = {}) {
  const cluster = new FakeCluster();
  const pools = cluster.cache<PoolObject>(KINDS.ippool, { [POOLS_BY_SUBNET]: cacheLabelIndex(LABEL_OWNER_SPIDER_SUBNET) });
  const events = new FakeEventPort();
  const metrics = new ControllerMetrics();
  const lookup: ApplicationLookup = { uidOf: async (a) => apps[`${a.kind}/${a.namespace}/${a.name}`] };
  const manager = new SubnetManager(cluster.client, NO_RETRY_DELAY);
  const reconciler = new SubnetReconciler(
    cluster.cache<SubnetObject>(KINDS.subnet),
    pools,
    manager,
    new IPPoolManager(cluster.client, metrics, NO_RETRY_DELAY),
    lookup,
    events,
    metrics,
  );
  return {
    cluster,
    events,
    metrics,
    run: (name: string) => reconciler.reconcile({ name }, testContext()),
    get: (name: string) => cluster.client.peek<SubnetObject>(KINDS.subnet, { name }),
    getPool: (name: string) => cluster.client.peek<PoolObject>(KINDS.ippool, { name }),
  };
}

describe('SubnetReconciler', () => {
  it('labels the subnet, adopts pools of the same CIDR and records them in controlledIPPools', async () => {
    const t = setup();
    t.cluster.client.seed(KINDS.subnet, subnet('s', {}, undefined, { finalizers: [] }));
    t.cluster.client.seed(KINDS.ippool, pool('manual', ['10.1.0.10-10.1.0.14', '10.1.0.200']));
    t.cluster.client.seed(KINDS.ippool, pool('other', ['10.2.0.10'], {}, { subnet: '10.2.0.0/24' }));
    await t.run('s');
    const s = t.get('s');
    expect(s?.metadata.labels?.[LABEL_SUBNET_CIDR]).toBe('10-1-0-0-24');
    expect(s?.metadata.finalizers).toEqual([FINALIZER]);
    const adopted = t.getPool('manual');
    expect(adopted?.metadata.labels?.[LABEL_OWNER_SPIDER_SUBNET]).toBe('s');
    expect(adopted?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'SpiderSubnet', name: 's', uid: s?.metadata.uid, controller: true })]);
    expect(adopted?.spec.gateway).toBe('10.1.0.1'); // inherited
    expect(t.getPool('other')?.metadata.ownerReferences).toBeUndefined();
    // The pool's label is now in the cache: the next pass records the intersection with the subnet's IPs.
    await t.run('s');
    expect(t.get('s')?.status).toEqual({ controlledIPPools: '{"manual":{"ips":["10.1.0.10-10.1.0.14"]}}', totalIPCount: 100, allocatedIPCount: 5 });
  });

  it('keeps auto-pool entries while their pool or application exists and drops them when both are gone', async () => {
    const t = setup({ 'Deployment/ns/live': 'uid-live' });
    const controlled = JSON.stringify({
      'auto4-gone-eth0-1': { ips: ['10.1.0.20'], application: 'apps_v1_Deployment_ns_gone' },
      'auto4-live-eth0-2': { ips: ['10.1.0.21-10.1.0.22'], application: 'apps_v1_Deployment_ns_live' },
      'auto4-pool-eth0-3': { ips: ['10.1.0.23'], application: 'apps_v1_Deployment_ns_other' },
    });
    t.cluster.client.seed(KINDS.ippool, pool('auto4-pool-eth0-3', ['10.1.0.23'], { [LABEL_OWNER_SPIDER_SUBNET]: 's', 'ipam.spidernet.io/owner-application-name': 'other' }));
    t.cluster.client.seed(KINDS.subnet, subnet('s', {}, { controlledIPPools: controlled }));
    await t.run('s');
    expect(JSON.parse(t.get('s')?.status?.controlledIPPools ?? '{}')).toEqual({
      'auto4-live-eth0-2': { ips: ['10.1.0.21-10.1.0.22'], application: 'apps_v1_Deployment_ns_live' },
      'auto4-pool-eth0-3': { ips: ['10.1.0.23'], application: 'apps_v1_Deployment_ns_other' },
    });
    expect(t.get('s')?.status?.allocatedIPCount).toBe(3);
    expect(await t.metrics.debugRegistry.getSingleMetricAsString('spiderpool_debug_subnet_available_ip_counts')).toContain('{SpiderSubnet="s"} 97');
  });

  it('keeps a terminating subnet while a pool uses it and removes its finalizer once none does', async () => {
    const t = setup();
    t.cluster.client.seed(KINDS.subnet, subnet('s'));
    t.cluster.client.seed(KINDS.ippool, pool('manual', ['10.1.0.10'], { [LABEL_OWNER_SPIDER_SUBNET]: 's' }));
    await t.run('s');
    await t.cluster.client.delete(KINDS.subnet, { name: 's' });
    await t.run('s');
    expect(t.get('s')?.metadata.finalizers).toContain(FINALIZER);
    expect(t.cluster.client.writes).toContainEqual({ verb: 'delete', kind: 'SpiderSubnet', name: 's' });
    // The owned pool goes (foreground deletion cascades in a real cluster).
    t.cluster.client.seed(KINDS.ippool, { ...(t.getPool('manual') as PoolObject), metadata: { ...(t.getPool('manual') as PoolObject).metadata, finalizers: [] } });
    await t.cluster.client.delete(KINDS.ippool, { name: 'manual' });
    await t.run('s');
    expect(t.get('s')).toBeUndefined();
  });

  it('reports a malformed spec as an InvalidSpec event and a terminal error', async () => {
    const t = setup();
    t.cluster.client.seed(KINDS.subnet, subnet('bad', { ips: ['10.9.0.1-10.9.0.x'] }));
    await expect(t.run('bad')).rejects.toBeInstanceOf(TerminalError);
    expect(t.events.reasons()).toEqual(['InvalidSpec']);
  });
});
