/**
 * Int tier: KubeVirt static IPs (ipam.md §8.2) through one in-process agent and the real API server, with minimal
 * kubevirt.io/v1 VirtualMachine / VirtualMachineInstance CRDs installed by the test.
 */
import { randomBytes } from 'node:crypto';
import { ApiextensionsV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { intTierKubeconfig, testNamespace } from '@spiderpool/testing';
import { pino } from 'pino';
import { AgentFleet, ClusterFixtures } from './fleet/agent-fleet.js';
import { httpCall } from './server/agent-http.fake.js';

const kc = new KubeConfig();
kc.loadFromFile(intTierKubeconfig());
const fx = new ClusterFixtures(kc);
const logger = pino({ level: process.env['AGENT_INT_LOG'] ?? 'silent' });
const suffix = randomBytes(3).toString('hex');
const KV = { group: 'kubevirt.io', version: 'v1' };

/** Installs a preserve-unknown-fields CRD of kubevirt.io/v1 (idempotent) and waits until it is served. */
async function kubevirtCrd(kind: string, plural: string): Promise<void> {
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const name = `${plural}.${KV.group}`;
  await ext
    .createCustomResourceDefinition({
      body: {
        metadata: { name },
        spec: {
          group: KV.group,
          scope: 'Namespaced',
          names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
          versions: [
            {
              name: KV.version,
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
            },
          ],
        },
      },
    })
    .catch((err: { code?: number }) => {
      if (err.code !== 409) throw err;
    });
  for (let i = 0; i < 100; i++) {
    const crd = await ext.readCustomResourceDefinition({ name });
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`CRD ${name} not established`);
}

describe('KubeVirt VM keeps its IP (real API server)', () => {
  const ns = testNamespace('agent-kv');
  const poolName = `kv-${suffix}`;
  const node = `kv-${suffix}-0`;
  let fleet: AgentFleet;
  let vmUid = '';
  let vmiUid = '';

  const socket = () => ({ socketPath: (fleet.agents[0] as (typeof fleet.agents)[number]).socketPath });
  const launcher = async (name: string, finalizers: string[] = []): Promise<V1Pod> =>
    fx.core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: {
          name,
          namespace: ns,
          finalizers,
          annotations: { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: [poolName] }) },
          ownerReferences: [
            { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', name: 'vm1', uid: vmiUid, controller: true },
          ],
        },
        spec: { nodeName: node, containers: [{ name: 'compute', image: 'registry.k8s.io/pause:3.10' }] },
      },
    });
  const add = (pod: V1Pod) =>
    httpCall(socket(), 'POST', '/v1/ipam/ip', {
      containerID: `ctr-${pod.metadata?.name}`,
      ifName: 'eth0',
      netNamespace: '/var/run/netns/test',
      podNamespace: ns,
      podName: pod.metadata?.name,
      podUID: pod.metadata?.uid,
    });
  const del = (pod: V1Pod) =>
    httpCall(socket(), 'DELETE', '/v1/ipam/ip', {
      containerID: `ctr-${pod.metadata?.name}`,
      ifName: 'eth0',
      podNamespace: ns,
      podName: pod.metadata?.name,
      podUID: pod.metadata?.uid,
    });
  const records = async () =>
    JSON.parse((await fx.readPool(poolName)).status?.allocatedIPs ?? '{}') as Record<string, { pod: string; podUid: string }>;
  const endpoint = (name: string) =>
    fx.custom
      .getNamespacedCustomObject({ group: 'spiderpool.spidernet.io', version: 'v2beta1', plural: 'spiderendpoints', namespace: ns, name })
      .then((o) => o as { metadata: { ownerReferences?: unknown[] }; status?: { ownerControllerType?: string } })
      .catch(() => undefined);

  beforeAll(async () => {
    await kubevirtCrd('VirtualMachine', 'virtualmachines');
    await kubevirtCrd('VirtualMachineInstance', 'virtualmachineinstances');
    await fx.namespace(ns);
    await fx.pool(poolName, { subnet: '10.230.0.0/24', ips: ['10.230.0.10-10.230.0.20'] });
    const vm = (await fx.custom.createNamespacedCustomObject({
      ...KV,
      plural: 'virtualmachines',
      namespace: ns,
      body: { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'vm1' }, spec: {} },
    })) as { metadata: { uid: string } };
    vmUid = vm.metadata.uid;
    const vmi = (await fx.custom.createNamespacedCustomObject({
      ...KV,
      plural: 'virtualmachineinstances',
      namespace: ns,
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachineInstance',
        metadata: {
          name: 'vm1',
          ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: 'vm1', uid: vmUid, controller: true }],
        },
        spec: {},
      },
    })) as { metadata: { uid: string } };
    vmiUid = vmi.metadata.uid;
    fleet = await AgentFleet.start(kc, { size: 1, nodePrefix: `kv-${suffix}`, logger });
  }, 120_000);

  afterAll(async () => {
    await fleet?.close();
    await fx.deletePool(poolName);
    await fx.core.deleteNamespace({ name: ns }).catch(() => undefined);
  }, 60_000);

  it('gives the re-created launcher pod of the same VM the same IP, then frees it on DEL once the VM is gone', async () => {
    const first = await launcher(`virt-launcher-vm1-${suffix}a`);
    const r1 = await add(first);
    expect(r1.status).toBe(200);
    const address = (r1.body as { ips: Array<{ address: string }> }).ips[0]?.address;
    const ip = address?.split('/')[0] as string;
    expect(await records()).toEqual({ [ip]: { pod: `${ns}/vm1`, podUid: first.metadata?.uid } });
    const ep = await endpoint('vm1');
    expect(ep?.status?.ownerControllerType).toBe('VirtualMachineInstance');
    expect(ep?.metadata.ownerReferences).toBeUndefined();

    // The launcher pod goes (VM restart); the VM stays, so DEL keeps the IP.
    await fx.core.deleteNamespacedPod({ namespace: ns, name: first.metadata?.name as string, gracePeriodSeconds: 0 });
    expect((await del(first)).status).toBe(200);
    expect(Object.keys(await records())).toEqual([ip]);

    const second = await launcher(`virt-launcher-vm1-${suffix}b`, ['spiderpool.test/hold']);
    const r2 = await add(second);
    expect(r2.status).toBe(200);
    expect((r2.body as { ips: Array<{ address: string }> }).ips[0]?.address).toBe(address);
    expect(await records()).toEqual({ [ip]: { pod: `${ns}/vm1`, podUid: second.metadata?.uid } });

    // The VM is deleted; its launcher pod terminates and CNI DEL frees the IP.
    await fx.custom.deleteNamespacedCustomObject({ ...KV, plural: 'virtualmachineinstances', namespace: ns, name: 'vm1' });
    await fx.custom.deleteNamespacedCustomObject({ ...KV, plural: 'virtualmachines', namespace: ns, name: 'vm1' });
    await fx.core.deleteNamespacedPod({ namespace: ns, name: second.metadata?.name as string });
    expect((await del(second)).status).toBe(200);
    expect(await records()).toEqual({});
    expect(await endpoint('vm1')).toBeUndefined();
    await fx.core.patchNamespacedPod(
      { namespace: ns, name: second.metadata?.name as string, body: [{ op: 'remove', path: '/metadata/finalizers' }] },
    ).catch(() => undefined);
  }, 60_000);
});
