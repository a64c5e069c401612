import 'reflect-metadata';
import { KubeConfig } from '@kubernetes/client-node';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { FINALIZER } from '@spiderpool/crd-types';
import { KubeLeaseClient, type LeaderGate, type LeaseClient, type LeaseRecord } from '@spiderpool/k8s-runtime';
import { intTierKubeconfig, kubectl, testNamespace, waitFor } from '@spiderpool/testing';
import { pino } from 'pino';
import { KubeObjectClient } from '../api-client/kube-object.client.js';
import type { WireObject } from '../api-client/object-client.port.js';
import { KINDS } from '../api-client/resource-kinds.js';
import { AppModule } from '../app.module.js';
import { parseControllerConfig, type ControllerConfig } from '../config/schema.js';
import type { PodObject } from '../gc/gc.types.js';
import type { EndpointObject, PoolObject, SubnetObject } from '../ippool/ippool.types.js';
import { LEADER_GATE } from '../lifecycle/controller-lifecycle.service.js';

const G = 'spiderpool.spidernet.io/v2beta1';
const CRD = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false } as const;
const LEASE_MS = 3_000;

/** Journeys of the whole controller (AppModule, leader election, every loop) against a real API server. */
describe('spiderpool-controller journeys (real control plane)', () => {
  const kubeconfig = intTierKubeconfig();
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const client = new KubeObjectClient(kc);
  const ns = testNamespace('ctrl');
  const octet = 100 + Math.floor(Math.random() * 100);
  const cidr = `10.${octet}.0.0/24`;
  const ip = (n: number) => `10.${octet}.0.${n}`;
  const apps: INestApplicationContext[] = [];

  function config(identity: string): ControllerConfig {
    const parsed = parseControllerConfig(
      { SPIDERPOOL_POD_NAMESPACE: ns, SPIDERPOOL_POD_NAME: identity, SPIDERPOOL_HEALTH_PORT: '0' },
      'enableIPv4: true\nenableSpiderSubnet: true\nenableAutoPoolForApplication: true\nenableStatefulSet: true\nenableKubevirtStaticIP: true\n',
    );
    if (!parsed.ok) throw new Error(parsed.issues.join('; '));
    const base = parsed.config;
    // Short timings: GC passes every second, a 3 s lease.
    return {
      ...base,
      gc: { ...base.gc, scanIntervalMs: 1_000, traceIntervalMs: 300 },
      leader: { ...base.leader, timing: { leaseDurationMs: LEASE_MS, renewDeadlineMs: 2_000, retryPeriodMs: 300, retryGapMs: 100 } },
      ippool: { ...base.ippool, resyncPeriodMs: 0 },
    };
  }

  /** The real Lease client until `sever()`: from then on every call fails, as for a partitioned or frozen leader. */
  class SeverableLeaseClient implements LeaseClient {
    private severed = false;
    constructor(private readonly inner: LeaseClient) {}
    sever(): void {
      this.severed = true;
    }
    private check(): void {
      if (this.severed) throw new Error('connection refused (severed by the test)');
    }
    async get() {
      this.check();
      return this.inner.get();
    }
    async create(record: LeaseRecord) {
      this.check();
      return this.inner.create(record);
    }
    async update(record: LeaseRecord, resourceVersion: string) {
      this.check();
      return this.inner.update(record, resourceVersion);
    }
  }

  async function startController(identity: string, leaseClient?: LeaseClient): Promise<{ app: INestApplicationContext; gate: LeaderGate }> {
    const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }).child({ instance: identity });
    const cfg = config(identity);
    const app = await NestFactory.createApplicationContext(AppModule.register({ config: cfg, kubeConfig: kc, logger, ...(leaseClient ? { leaseClient } : {}) }), { logger: false });
    apps.push(app);
    return { app, gate: app.get<LeaderGate>(LEADER_GATE) };
  }

  const pool = (name: string) => client.get<PoolObject>(KINDS.ippool, { name });
  const subnet = (name: string) => client.get<SubnetObject>(KINDS.subnet, { name });
  const records = async (name: string) => JSON.parse((await pool(name))?.status?.allocatedIPs ?? '{}') as Record<string, { pod: string; podUid: string }>;

  async function createPod(name: string): Promise<PodObject> {
    return client.create<PodObject>(KINDS.pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns },
      spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
    } as unknown as PodObject);
  }

  /** What the agent writes on allocation: the pool record, then the SpiderEndpoint (ipam.md §4.4, §4.7). */
  async function allocate(poolName: string, podName: string, uid: string, addr: string, ownerType = 'Pod'): Promise<void> {
    await waitFor(async () => {
      const p = (await pool(poolName)) as PoolObject;
      const recs = JSON.parse(p.status?.allocatedIPs ?? '{}') as Record<string, unknown>;
      recs[addr] = { pod: `${ns}/${podName}`, podUid: uid };
      await client.replaceStatus(KINDS.ippool, { ...p, status: { ...(p.status ?? {}), allocatedIPs: JSON.stringify(recs), allocatedIPCount: Object.keys(recs).length } });
      return true;
    }, { description: 'pool status write' });
    const current = { uid, node: 'node-a', ips: [{ interface: 'eth0', ipv4: `${addr}/24`, ipv4Pool: poolName, vlan: 0 }] };
    const existing = await client.get<EndpointObject>(KINDS.endpoint, { namespace: ns, name: podName });
    const body = { apiVersion: G, kind: 'SpiderEndpoint', metadata: { name: podName, namespace: ns, finalizers: [FINALIZER] }, status: { current, ownerControllerType: ownerType, ownerControllerName: podName } };
    if (existing) await client.replace(KINDS.endpoint, { ...existing, status: body.status } as EndpointObject);
    else await client.create(KINDS.endpoint, body as unknown as EndpointObject);
  }

  /**
   * Returns once the GC has judged every record of `poolName` written so far: a canary record of a pod that never
   * existed is picked up by a scan (which judges every record of every pool) and released after its live re-check,
   * the same step a wrongly collected record would go through. A wait-for instead of a sleep.
   */
  async function gcPassed(poolName: string, canaryAddr: string): Promise<void> {
    const canary = `canary-${canaryAddr.split('.').join('-')}`;
    await allocate(poolName, canary, `uid-of-${canary}`, canaryAddr);
    await waitFor(async () => !(canaryAddr in (await records(poolName))), { description: `GC released ${canary}`, timeoutMs: 20_000 });
  }

  let leader: { app: INestApplicationContext; gate: LeaderGate };

  beforeAll(async () => {
    await kubectl(kubeconfig, ['create', 'namespace', ns]);
    await waitFor(() => kubectl(kubeconfig, ['-n', ns, 'get', 'serviceaccount', 'default']), { description: 'default ServiceAccount' });
    leader = await startController('controller-a');
    await waitFor(() => leader.gate.isLeading(), { description: 'controller-a leads', timeoutMs: 20_000 });
  });

  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close().catch(() => undefined);
    await kubectl(kubeconfig, ['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
  });

  it('keeps pool status counts in step with allocatedIPs', async () => {
    const name = `counts-${ns}`;
    await client.create(KINDS.ippool, { apiVersion: G, kind: 'SpiderIPPool', metadata: { name, finalizers: [FINALIZER] }, spec: { subnet: `10.${octet}.1.0/24`, ips: [`10.${octet}.1.10-10.${octet}.1.19`], excludeIPs: [`10.${octet}.1.19`] } } as unknown as PoolObject);
    await waitFor(async () => (await pool(name))?.status?.totalIPCount === 9 && (await pool(name))?.status?.allocatedIPCount === 0, { description: 'initial counts' });
    // Records of live (Pending) pods: the GC must keep them.
    const a = await createPod('counts-a');
    const b = await createPod('counts-b');
    await allocate(name, 'counts-a', a.metadata.uid ?? '', `10.${octet}.1.10`);
    await allocate(name, 'counts-b', b.metadata.uid ?? '', `10.${octet}.1.11`);
    // Make the stored count lie; the controller recomputes it from the records.
    const p = (await pool(name)) as PoolObject;
    await client.replaceStatus(KINDS.ippool, { ...p, status: { ...p.status, allocatedIPCount: 7 } });
    await waitFor(async () => (await pool(name))?.status?.allocatedIPCount === 2, { description: 'allocatedIPCount = 2' });
    expect(Object.keys(await records(name)).sort()).toEqual([`10.${octet}.1.10`, `10.${octet}.1.11`]);
  });

  it('gives a subnet-annotated Deployment an auto pool of replicas+N that follows scaling and is reclaimed on delete', async () => {
    const subnetName = `sub-${ns}`;
    await client.create(KINDS.subnet, { apiVersion: G, kind: 'SpiderSubnet', metadata: { name: subnetName }, spec: { ipVersion: 4, subnet: cidr, ips: [`${ip(10)}-${ip(59)}`], gateway: ip(1) } } as unknown as SubnetObject);
    await waitFor(async () => (await subnet(subnetName))?.metadata.finalizers?.includes(FINALIZER), { description: 'subnet finalizer' });
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' }, annotations: { 'ipam.spidernet.io/subnet': JSON.stringify({ ipv4: [subnetName] }), 'ipam.spidernet.io/ippool-ip-number': '+1' } },
          spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] },
        },
      },
    };
    const created = await client.create<WireObject>(KINDS.deployment, deployment as unknown as WireObject);
    const poolName = `auto4-web-eth0-${(created.metadata.uid ?? '').split('-').at(-1)?.slice(0, 5)}`;
    const size = async () => {
      const p = await pool(poolName);
      return p === undefined ? -1 : p.spec.ips?.reduce((n, r) => { const [lo, hi] = r.split('-'); return n + (hi ? Number(hi.split('.')[3]) - Number(lo?.split('.')[3]) + 1 : 1); }, 0);
    };
    await waitFor(async () => (await size()) === 3, { description: 'auto pool of 2+1 IPs' });
    const p = (await pool(poolName)) as PoolObject;
    expect(p.spec).toMatchObject({ subnet: cidr, gateway: ip(1), ips: [`${ip(10)}-${ip(12)}`] });
    expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'SpiderSubnet', name: subnetName });

    await kubectl(kubeconfig, ['-n', ns, 'scale', 'deployment', 'web', '--replicas=4']);
    await waitFor(async () => (await size()) === 5, { description: 'auto pool grows to 4+1' });
    await waitFor(async () => JSON.parse((await subnet(subnetName))?.status?.controlledIPPools ?? '{}')[poolName]?.ips?.[0] === `${ip(10)}-${ip(14)}`, { description: 'subnet records 5 IPs' });
    expect((await subnet(subnetName))?.status).toMatchObject({ totalIPCount: 50, allocatedIPCount: 5 });

    await kubectl(kubeconfig, ['-n', ns, 'scale', 'deployment', 'web', '--replicas=1']);
    await waitFor(async () => (await size()) === 2, { description: 'auto pool shrinks to 1+1' });

    await kubectl(kubeconfig, ['-n', ns, 'delete', 'deployment', 'web', '--wait=false']);
    await waitFor(async () => (await pool(poolName)) === undefined, { description: 'auto pool reclaimed' });
    await waitFor(async () => (await subnet(subnetName))?.status?.controlledIPPools === undefined, { description: 'subnet ledger emptied' });
    expect((await subnet(subnetName))?.status?.allocatedIPCount).toBe(0);

    // With no pool left, the subnet can go.
    await client.delete(KINDS.subnet, { name: subnetName });
    await waitFor(async () => (await subnet(subnetName)) === undefined, { description: 'subnet deleted' });
  });

  it('reclaims the IP of a pod deleted while its agent was down', async () => {
    const name = `gc-${ns}`;
    await client.create(KINDS.ippool, { apiVersion: G, kind: 'SpiderIPPool', metadata: { name, finalizers: [FINALIZER] }, spec: { subnet: `10.${octet}.2.0/24`, ips: [`10.${octet}.2.10-10.${octet}.2.19`] } } as unknown as PoolObject);
    const pod = await createPod('gc-victim');
    await allocate(name, 'gc-victim', pod.metadata.uid ?? '', `10.${octet}.2.10`);
    await gcPassed(name, `10.${octet}.2.19`); // a live pod keeps its IP
    expect(await records(name)).toHaveProperty([`10.${octet}.2.10`]);
    // No agent runs, so nobody handles CNI DEL: only the GC can free the IP.
    await client.delete(KINDS.pod, { namespace: ns, name: 'gc-victim' });
    await waitFor(async () => Object.keys(await records(name)).length === 0, { description: 'GC released the record', timeoutMs: 20_000 });
    await waitFor(async () => (await client.get(KINDS.endpoint, { namespace: ns, name: 'gc-victim' })) === undefined, { description: 'endpoint reclaimed' });
    await waitFor(async () => (await pool(name))?.status?.allocatedIPCount === 0, { description: 'count back to 0' });
  });

  it('keeps the IP of a restarted StatefulSet pod', async () => {
    const name = `sts-${ns}`;
    await client.create(KINDS.ippool, { apiVersion: G, kind: 'SpiderIPPool', metadata: { name, finalizers: [FINALIZER] }, spec: { subnet: `10.${octet}.3.0/24`, ips: [`10.${octet}.3.10-10.${octet}.3.19`] } } as unknown as PoolObject);
    await client.create(KINDS.statefulSet, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: ns },
      spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } } },
    } as unknown as WireObject);
    const first = await waitFor(() => client.get<PodObject>(KINDS.pod, { namespace: ns, name: 'db-0' }), { description: 'db-0 created' });
    const addr = `10.${octet}.3.10`;
    await allocate(name, 'db-0', first.metadata.uid ?? '', addr, 'StatefulSet');
    await client.delete(KINDS.pod, { namespace: ns, name: 'db-0' });
    const second = await waitFor(async () => {
      const p = await client.get<PodObject>(KINDS.pod, { namespace: ns, name: 'db-0' });
      return p && p.metadata.uid !== first.metadata.uid ? p : undefined;
    }, { description: 'db-0 re-created' });
    // GC passes run over the restart window; the record must survive them.
    await gcPassed(name, `10.${octet}.3.18`);
    await gcPassed(name, `10.${octet}.3.19`);
    expect((await records(name))[addr]).toEqual({ pod: `${ns}/db-0`, podUid: first.metadata.uid });
    // The agent's static retrieval re-owns the record for the new incarnation.
    await allocate(name, 'db-0', second.metadata.uid ?? '', addr, 'StatefulSet');
    await gcPassed(name, `10.${octet}.3.18`);
    expect((await records(name))[addr]).toEqual({ pod: `${ns}/db-0`, podUid: second.metadata.uid });
    expect(await client.get(KINDS.endpoint, { namespace: ns, name: 'db-0' })).toBeDefined();
  });

  it('keeps the IP of a KubeVirt VM across launcher pods and frees it once the VM is deleted', async () => {
    for (const [kind, plural] of [['VirtualMachine', 'virtualmachines'], ['VirtualMachineInstance', 'virtualmachineinstances']] as const) {
      await client
        .create(CRD, { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.kubevirt.io` }, spec: { group: 'kubevirt.io', scope: 'Namespaced', names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] } } as unknown as WireObject)
        .catch((err: { code?: number }) => { if (err.code !== 409) throw err; });
      await waitFor(async () => ((await client.get<WireObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>(CRD, { name: `${plural}.kubevirt.io` }))?.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True'), { description: `${kind} CRD established` });
    }
    const name = `kv-${ns}`;
    await client.create(KINDS.ippool, { apiVersion: G, kind: 'SpiderIPPool', metadata: { name, finalizers: [FINALIZER] }, spec: { subnet: `10.${octet}.6.0/24`, ips: [`10.${octet}.6.10-10.${octet}.6.19`] } } as unknown as PoolObject);
    const vm = await waitFor(() => client.create<WireObject>(KINDS.vm, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'vm1', namespace: ns }, spec: {} } as unknown as WireObject), { description: 'VM created' });
    const vmi = await client.create<WireObject>(KINDS.vmi, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'vm1', namespace: ns, ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: 'vm1', uid: vm.metadata.uid, controller: true }] }, spec: {} } as unknown as WireObject);
    const launcher = (suffix: string) =>
      client.create<PodObject>(KINDS.pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `virt-launcher-vm1-${suffix}`, namespace: ns, ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', name: 'vm1', uid: vmi.metadata.uid, controller: true }] }, spec: { containers: [{ name: 'compute', image: 'registry.k8s.io/pause:3.10' }] } } as unknown as PodObject);
    const addr = `10.${octet}.6.10`;
    const first = await launcher('aaaaa');
    // The agent records KubeVirt allocations under the VMI name (ipam.md §8.2).
    await allocate(name, 'vm1', first.metadata.uid ?? '', addr, 'VirtualMachineInstance');
    await client.delete(KINDS.pod, { namespace: ns, name: 'virt-launcher-vm1-aaaaa' });
    const second = await launcher('bbbbb');
    // GC passes while the VM exists.
    await gcPassed(name, `10.${octet}.6.18`);
    await gcPassed(name, `10.${octet}.6.19`);
    expect((await records(name))[addr]).toEqual({ pod: `${ns}/vm1`, podUid: first.metadata.uid });
    await allocate(name, 'vm1', second.metadata.uid ?? '', addr, 'VirtualMachineInstance');
    await gcPassed(name, `10.${octet}.6.18`);
    expect((await records(name))[addr]).toEqual({ pod: `${ns}/vm1`, podUid: second.metadata.uid });
    // The VM (and its VMI and launcher pod) go; no agent runs, so only the GC frees the IP.
    await client.delete(KINDS.vmi, { namespace: ns, name: 'vm1' });
    await client.delete(KINDS.vm, { namespace: ns, name: 'vm1' });
    await client.delete(KINDS.pod, { namespace: ns, name: 'virt-launcher-vm1-bbbbb' });
    await waitFor(async () => Object.keys(await records(name)).length === 0, { description: 'GC released the VM IP', timeoutMs: 20_000 });
    await waitFor(async () => (await client.get(KINDS.endpoint, { namespace: ns, name: 'vm1' })) === undefined, { description: 'VM endpoint reclaimed' });
  });

  it('fails over to a second instance within the lease, and no work is lost', async () => {
    const standby = await startController('controller-b');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(standby.gate.isLeading()).toBe(false);
    const name = `failover-${ns}`;
    const started = Date.now();
    await leader.app.close();
    apps.splice(apps.indexOf(leader.app), 1);
    // Work submitted while nobody leads.
    await client.create(KINDS.ippool, { apiVersion: G, kind: 'SpiderIPPool', metadata: { name, finalizers: [FINALIZER] }, spec: { subnet: `10.${octet}.4.0/24`, ips: [`10.${octet}.4.10-10.${octet}.4.14`] } } as unknown as PoolObject);
    await waitFor(() => standby.gate.isLeading(), { description: 'controller-b leads', timeoutMs: LEASE_MS + 2_000, intervalMs: 50 });
    process.stderr.write(`[controller int] failover took ${Date.now() - started} ms (lease ${LEASE_MS} ms)\n`);
    await waitFor(async () => (await pool(name))?.status?.totalIPCount === 5, { description: 'new leader reconciles the pool' });
  });

  it('takes over from a leader cut off without releasing the lease, once the lease expires, and no work is lost', async () => {
    // The previous journey left controller-b leading; a fresh pair with a severable leader.
    for (const app of apps.splice(0)) await app.close().catch(() => undefined);
    const cfg = config('controller-c');
    const severable = new SeverableLeaseClient(new KubeLeaseClient(kc, ns, cfg.leader.leaseName));
    const crashing = await startController('controller-c', severable);
    await waitFor(() => crashing.gate.isLeading(), { description: 'controller-c leads', timeoutMs: 20_000 });
    const standby = await startController('controller-d');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(standby.gate.isLeading()).toBe(false);

    const started = Date.now();
    severable.sever(); // no release: the Lease keeps naming controller-c until it expires
    const holder = async () => (await new KubeLeaseClient(kc, ns, cfg.leader.leaseName).get())?.record.holderIdentity;
    // Right after the cut the Lease still names the silent leader: the standby must wait for it to expire.
    const holders = [await holder()];
    const name = `crash-${ns}`;
    await client.create(KINDS.ippool, { apiVersion: G, kind: 'SpiderIPPool', metadata: { name, finalizers: [FINALIZER] }, spec: { subnet: `10.${octet}.5.0/24`, ips: [`10.${octet}.5.10-10.${octet}.5.16`] } } as unknown as PoolObject);
    await waitFor(() => standby.gate.isLeading(), { description: 'controller-d leads', timeoutMs: 3 * LEASE_MS + 2_000, intervalMs: 50 });
    const takeover = Date.now() - started;
    process.stderr.write(`[controller int] crash takeover took ${takeover} ms (lease ${LEASE_MS} ms)\n`);
    expect(holders[0]).toBe('controller-c');
    expect(await holder()).toBe('controller-d');
    // The cut-off leader stepped down on its own (renew deadline), so only one instance leads.
    await waitFor(() => !crashing.gate.isLeading(), { description: 'controller-c stepped down' });
    await waitFor(async () => (await pool(name))?.status?.totalIPCount === 7, { description: 'new leader reconciles the pool changed in the gap' });
  });
});
