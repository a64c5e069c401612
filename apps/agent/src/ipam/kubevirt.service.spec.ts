import { ReleaseForbiddenStatefulError } from '../errors.js';
import type { FakeAgent } from './fake-agent.fake.js';
import { addArgs, fakeAgent, pool, podView } from './fake-agent.fake.js';

const KV = 'kubevirt.io/v1';
const vmOwner = { apiVersion: KV, kind: 'VirtualMachine', name: 'vm1', uid: 'vm-uid', controller: true };
const vmiRef = { apiVersion: KV, kind: 'VirtualMachineInstance', name: 'vm1', uid: 'vmi-uid' };

/** A VM `vm1` with its VMI, both alive, and a default IPv4 pool. */
function kubevirtAgent(overrides = {}): FakeAgent {
  const a = fakeAgent({ enableIPv6: false, ...overrides });
  a.cluster.addPool(pool('p', { subnet: '10.0.0.0/24', ips: ['10.0.0.10-10.0.0.200'], default: true }));
  a.cluster.setOwner(KV, 'VirtualMachine', 'default', { metadata: { name: 'vm1', uid: 'vm-uid' } });
  a.cluster.setOwner(KV, 'VirtualMachineInstance', 'default', {
    metadata: { name: 'vm1', uid: 'vmi-uid', ownerReferences: [vmOwner] },
  });
  return a;
}

const launcher = (name: string, uid: string, annotations: Record<string, string> = {}) =>
  podView(name, { owner: vmiRef, uid, annotations });

describe('IpamService KubeVirt static IPs (ipam.md §8.2)', () => {
  it('records the allocation under the VMI name, without a Pod ownerReference', async () => {
    const a = kubevirtAgent();
    const p = launcher('virt-launcher-vm1-abcde', 'uid-1');
    a.cluster.addPod(p);
    const res = await a.service.allocate(addArgs(p));
    const ip = res.ips[0]?.address.split('/')[0] as string;
    const ep = a.cluster.endpoint('default', 'vm1');
    expect(ep?.metadata.ownerReferences).toBeUndefined();
    expect(ep?.status).toMatchObject({
      ownerControllerType: 'VirtualMachineInstance',
      ownerControllerName: 'vm1',
      current: { uid: 'uid-1' },
    });
    expect(a.cluster.endpoint('default', 'virt-launcher-vm1-abcde')).toBeUndefined();
    const record = a.cluster.poolsByName.get('p')?.status?.allocatedIPs as string;
    expect(JSON.parse(record)).toEqual({ [ip]: { pod: 'default/vm1', podUid: 'uid-1' } });
  });

  it('keeps the IP across a VM restart: DEL keeps it while the VM exists, the new launcher pod gets it back', async () => {
    const a = kubevirtAgent();
    const first = launcher('virt-launcher-vm1-aaaaa', 'uid-1');
    a.cluster.addPod(first);
    const r1 = await a.service.allocate(addArgs(first));
    // VM restart: the VMI goes away (VM stays), the launcher pod is deleted.
    a.cluster.owners.delete(`${KV}/VirtualMachineInstance/default/vm1`);
    a.cluster.podsByKey.delete('default/virt-launcher-vm1-aaaaa');
    await a.service.release({ ...addArgs(first), podUID: 'uid-1' });
    expect(a.cluster.allocated('p').size).toBe(1);
    expect(a.cluster.endpoint('default', 'vm1')).toBeDefined();

    a.cluster.setOwner(KV, 'VirtualMachineInstance', 'default', {
      metadata: { name: 'vm1', uid: 'vmi-uid-2', ownerReferences: [vmOwner] },
    });
    const second = launcher('virt-launcher-vm1-bbbbb', 'uid-2');
    a.cluster.addPod(second);
    const r2 = await a.service.allocate(addArgs(second));
    expect(r2.ips[0]?.address).toBe(r1.ips[0]?.address);
    expect([...a.cluster.allocated('p').values()]).toEqual(['uid-2']);
    expect(a.cluster.endpoint('default', 'vm1')?.status?.current.uid).toBe('uid-2');
  });

  it('turns IP conflict detection off for a live-migration target whose migration exists, and only then', async () => {
    const a = kubevirtAgent({ enableIPConflictDetection: true });
    const source = launcher('virt-launcher-vm1-src', 'uid-src');
    a.cluster.addPod(source);
    const r1 = await a.service.allocate(addArgs(source));
    expect(r1.ips[0]?.enableIPConflictDetection).toBe(true);

    const target = launcher('virt-launcher-vm1-dst', 'uid-dst', { 'kubevirt.io/migrationJobName': 'mig-1' });
    a.cluster.addPod(target);
    const noMigration = await a.service.allocate(addArgs(target));
    expect(noMigration.ips[0]?.enableIPConflictDetection).toBe(true);

    a.cluster.setOwner(KV, 'VirtualMachineInstanceMigration', 'default', {
      metadata: { name: 'mig-1', uid: 'mig-uid' },
    });
    const migrating = await a.service.allocate(addArgs(target));
    expect(migrating.ips[0]?.address).toBe(r1.ips[0]?.address);
    expect(migrating.ips[0]?.enableIPConflictDetection).toBe(false);
  });

  it('releases the IP and the endpoint on DEL once the VM is gone', async () => {
    const a = kubevirtAgent();
    const p = launcher('virt-launcher-vm1-aaaaa', 'uid-1');
    a.cluster.addPod(p);
    await a.service.allocate(addArgs(p));
    a.cluster.owners.clear();
    a.cluster.addPod(podView('virt-launcher-vm1-aaaaa', { owner: vmiRef, uid: 'uid-1', deleting: true }));
    await a.service.release(addArgs(p));
    expect(a.cluster.allocated('p').size).toBe(0);
    expect(a.cluster.endpoint('default', 'vm1')).toBeUndefined();
  });

  it('treats a terminating VMI without a VirtualMachine owner as invalid', async () => {
    const a = kubevirtAgent();
    a.cluster.setOwner(KV, 'VirtualMachineInstance', 'default', {
      metadata: { name: 'vm1', uid: 'vmi-uid', deletionTimestamp: '2026-01-01T00:00:00Z' },
    });
    const p = launcher('virt-launcher-vm1-aaaaa', 'uid-1');
    a.cluster.addPod(p);
    await a.service.allocate(addArgs(p));
    a.cluster.addPod(podView('virt-launcher-vm1-aaaaa', { owner: vmiRef, uid: 'uid-1', deleting: true }));
    await a.service.release(addArgs(p));
    expect(a.cluster.allocated('p').size).toBe(0);
  });

  it('handles a VMI pod like a stateless one when the feature is off', async () => {
    const a = kubevirtAgent({ enableKubevirtStaticIP: false });
    const p = launcher('virt-launcher-vm1-aaaaa', 'uid-1');
    a.cluster.addPod(p);
    await a.service.allocate(addArgs(p));
    expect(a.cluster.endpoint('default', 'vm1')).toBeUndefined();
    expect(a.cluster.endpoint('default', 'virt-launcher-vm1-aaaaa')?.metadata.ownerReferences).toHaveLength(1);
  });

  it('refuses to batch-release conflict IPs of a VMI pod (522)', async () => {
    const a = kubevirtAgent();
    const p = launcher('virt-launcher-vm1-aaaaa', 'uid-1');
    a.cluster.addPod(p);
    await a.service.allocate(addArgs(p));
    await expect(
      a.service.releaseAll({ ...addArgs(p), isReleaseConflictIPs: true }),
    ).rejects.toBeInstanceOf(ReleaseForbiddenStatefulError);
  });
});
