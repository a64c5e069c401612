import { FINALIZER } from '@spiderpool/crd-types';
import { IPExhaustedError, NoAvailablePoolError, ResourceVersionConflictError } from '@spiderpool/ipam-core';
import { PodNotAliveError, PodNotFoundError, ReleaseForbiddenStatelessError } from '../errors.js';
import { toAgentApiError } from './agent-error.mapper.js';
import { addArgs, fakeAgent, pool, podView } from './fake-agent.fake.js';

const v4 = (subnet = '10.0.0.0/24', ips = ['10.0.0.10-10.0.0.200'], extra = {}) => ({
  subnet,
  ips,
  gateway: subnet.replace('0/24', '1'),
  ...extra,
});

describe('IpamService allocate', () => {
  it('allocates from the cluster default pool, records pool status and a SpiderEndpoint owned by the Pod', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(
      pool('default-v4', { ...v4(), default: true, routes: [{ dst: '172.16.0.0/16', gw: '10.0.0.254' }] }),
    );
    const p = podView('web');
    a.cluster.addPod(p);

    const res = await a.service.allocate(addArgs(p));

    expect(res.ips).toHaveLength(1);
    const ip = res.ips[0] as NonNullable<(typeof res.ips)[0]>;
    expect(ip).toMatchObject({ version: 4, nic: 'eth0', ipPool: 'default-v4', gateway: '10.0.0.1' });
    expect(ip.address).toMatch(/^10\.0\.0\.\d+\/24$/);
    expect(res.routes).toEqual([
      { ifName: 'eth0', dst: '172.16.0.0/16', gw: '10.0.0.254' },
      { ifName: 'eth0', dst: '0.0.0.0/0', gw: '10.0.0.1' },
    ]);
    const bare = ip.address.split('/')[0] as string;
    expect(a.cluster.allocated('default-v4')).toEqual(new Map([[bare, 'uid-web']]));
    expect(a.cluster.poolsByName.get('default-v4')?.status?.allocatedIPCount).toBe(1);
    const ep = a.cluster.endpoint('default', 'web');
    expect(ep?.metadata.finalizers).toEqual([FINALIZER]);
    expect(ep?.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'uid-web' },
    ]);
    expect(ep?.status).toMatchObject({
      current: {
        uid: 'uid-web',
        node: 'node-1',
        ips: [
          {
            interface: 'eth0',
            ipv4: ip.address,
            ipv4Pool: 'default-v4',
            ipv4Gateway: '10.0.0.1',
            cleanGateway: false,
          },
        ],
      },
      ownerControllerType: 'Pod',
      ownerControllerName: 'web',
    });
  });

  it('answers a repeated ADD for the same pod UID and NIC with the same IPs and no pool write', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    const p = podView('web');
    a.cluster.addPod(p);
    const first = await a.service.allocate(addArgs(p));
    const writes = a.cluster.poolWrites;
    const again = await a.service.allocate({ ...addArgs(p), containerID: 'another-sandbox' });
    expect(again).toEqual(first);
    expect(a.cluster.poolWrites).toBe(writes);
  });

  it('re-uses the IP its UID already holds when the endpoint is missing (crash between the two writes)', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    const p = podView('web');
    a.cluster.addPod(p);
    const first = await a.service.allocate(addArgs(p));
    a.cluster.endpoints.clear();
    const again = await a.service.allocate(addArgs(p));
    expect(again.ips[0]?.address).toBe(first.ips[0]?.address);
    expect(a.cluster.allocated('p').size).toBe(1);
  });

  it('allocates dual stack from the ippool annotation', async () => {
    const a = fakeAgent({ poolUpdate: { attempts: 2, timeoutMs: 0, baseMs: 1, maxMs: 1 } });
    a.cluster.addPool(pool('a4', v4()));
    a.cluster.addPool(pool('a6', { subnet: 'fd00::/64', ips: ['fd00::10-fd00::20'], gateway: 'fd00::1' }));
    const p = podView('web', {
      annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["a4"],"ipv6":["a6"]}' },
    });
    a.cluster.addPod(p);
    const res = await a.service.allocate(addArgs(p));
    expect(res.ips.map((i) => [i.version, i.ipPool])).toEqual([
      [4, 'a4'],
      [6, 'a6'],
    ]);
    expect(res.routes).toContainEqual({ ifName: 'eth0', dst: '::/0', gw: 'fd00::1' });
    expect(a.cluster.endpoint('default', 'web')?.status?.current.ips).toHaveLength(1);
  });

  it('allocates every NIC of the ippools annotation on the first ADD and answers the later ADD from the endpoint', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('a', v4()));
    a.cluster.addPool(pool('b', v4('10.1.0.0/24', ['10.1.0.10-10.1.0.20'])));
    const p = podView('web', {
      annotations: {
        'ipam.spidernet.io/ippools':
          '[{"interface":"eth0","ipv4":["a"]},{"interface":"net1","ipv4":["b"],"cleangateway":true}]',
      },
    });
    a.cluster.addPod(p);
    const first = await a.service.allocate(addArgs(p, 'eth0'));
    expect(first.ips.map((i) => i.nic)).toEqual(['eth0', 'net1']);
    expect(first.routes?.filter((r) => r.dst === '0.0.0.0/0').map((r) => r.ifName)).toEqual(['eth0']);
    const writes = a.cluster.poolWrites;
    const second = await a.service.allocate(addArgs(p, 'net1'));
    expect(second).toEqual(first);
    expect(a.cluster.poolWrites).toBe(writes);
  });

  it('gives two NICs drawing from one pool different IPs', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('a', v4()));
    const p = podView('web', {
      annotations: {
        'ipam.spidernet.io/ippools': '[{"interface":"eth0","ipv4":["a"]},{"interface":"net1","ipv4":["a"]}]',
      },
    });
    a.cluster.addPod(p);
    const res = await a.service.allocate(addArgs(p));
    expect(new Set(res.ips.map((i) => i.address)).size).toBe(2);
  });

  it('never hands out excludeIPs or reserved IPs, then reports exhaustion to the CNI and as a pod Event', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(
      pool('small', {
        ...v4('10.0.0.0/24', ['10.0.0.10-10.0.0.12']),
        excludeIPs: ['10.0.0.10'],
        default: true,
      }),
    );
    a.cluster.reserved.set('r', {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderReservedIP',
      metadata: { name: 'r' },
      spec: { ipVersion: 4, ips: ['10.0.0.11'] },
    });
    const p1 = podView('one');
    const p2 = podView('two');
    a.cluster.addPod(p1);
    a.cluster.addPod(p2);
    expect((await a.service.allocate(addArgs(p1))).ips[0]?.address).toBe('10.0.0.12/24');
    const err = await a.service.allocate(addArgs(p2)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IPExhaustedError);
    expect((err as IPExhaustedError).rejections).toEqual([
      expect.objectContaining({ pool: 'small', reason: 'Exhausted' }),
    ]);
    expect(a.cluster.events).toEqual([
      {
        pod: 'default/two',
        event: expect.objectContaining({
          type: 'Warning',
          reason: 'IPExhausted',
          note: expect.stringContaining(
            'failed to allocate any IPv4 IP address to NIC eth0 from IPPools [small]',
          ),
        }),
      },
    ]);
  });

  it('falls through to the next pool of the candidate when the first is full', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('full', v4('10.0.0.0/24', ['10.0.0.10'])));
    a.cluster.addPool(pool('next', v4('10.1.0.0/24', ['10.1.0.10'])));
    const ann = { 'ipam.spidernet.io/ippool': '{"ipv4":["full","next"]}' };
    const p1 = podView('one', { annotations: ann });
    const p2 = podView('two', { annotations: ann });
    a.cluster.addPod(p1);
    a.cluster.addPod(p2);
    await a.service.allocate(addArgs(p1));
    expect((await a.service.allocate(addArgs(p2))).ips[0]?.ipPool).toBe('next');
  });

  it('explains per pool why no pool matched, in the error and in the Event', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('off', { ...v4(), disable: true }));
    a.cluster.addPool(pool('elsewhere', { ...v4('10.1.0.0/24', ['10.1.0.10']), nodeName: ['node-9'] }));
    const p = podView('web', {
      annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["off","elsewhere","ghost"]}' },
    });
    a.cluster.addPod(p);
    const err = (await a.service.allocate(addArgs(p)).catch((e: unknown) => e)) as NoAvailablePoolError;
    expect(err).toBeInstanceOf(NoAvailablePoolError);
    expect(err.rejections.map((r) => [r.pool, r.reason])).toEqual([
      ['off', 'Disabled'],
      ['elsewhere', 'NodeNotMatched'],
      ['ghost', 'NotFound'],
    ]);
    const note = a.cluster.events[0]?.event.note ?? '';
    expect(a.cluster.events[0]?.event.reason).toBe('NoAvailablePool');
    expect(note).toContain('disabled IPPool off');
    expect(note).toContain('unmatched Node name of IPPool elsewhere');
  });

  it('names a disabled-only failure IPPoolDisabled', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('off', { ...v4(), disable: true, default: true }));
    const p = podView('web');
    a.cluster.addPod(p);
    await expect(a.service.allocate(addArgs(p))).rejects.toBeInstanceOf(NoAvailablePoolError);
    expect(a.cluster.events[0]?.event.reason).toBe('IPPoolDisabled');
  });

  it('releases the IPv4 it took when IPv6 fails (a failed ADD leaves nothing new allocated)', async () => {
    const a = fakeAgent({ poolUpdate: { attempts: 2, timeoutMs: 0, baseMs: 1, maxMs: 1 } });
    a.cluster.addPool(pool('a4', v4()));
    a.cluster.addPool(pool('a6', { subnet: 'fd00::/64', ips: ['fd00::10'] }));
    a.cluster.addPool(pool('x', v4('10.9.0.0/24', ['10.9.0.1'])));
    const blocker = podView('blocker', { annotations: { 'ipam.spidernet.io/ippool': '{"ipv6":["a6"]}' } });
    const p = podView('web', {
      annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["a4"],"ipv6":["a6"]}' },
    });
    a.cluster.addPod(blocker);
    a.cluster.addPod(p);
    await a.service.allocate(addArgs(blocker));
    await expect(a.service.allocate(addArgs(p))).rejects.toBeInstanceOf(IPExhaustedError);
    expect(a.cluster.allocated('a4').size).toBe(0);
    expect(a.cluster.endpoint('default', 'web')).toBeUndefined();
  });

  it('releases what it took when the SpiderEndpoint cannot be written', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    const p = podView('web');
    a.cluster.addPod(p);
    a.cluster.endpointWriteError = Object.assign(new Error('forbidden'), { code: 403 });
    await expect(a.service.allocate(addArgs(p))).rejects.toThrow('forbidden');
    expect(a.cluster.allocated('p').size).toBe(0);
  });

  it('selects pools by tier: ippools > ippool > namespace default > CNI config default > cluster default', async () => {
    const a = fakeAgent({ enableIPv6: false });
    for (const [i, name] of ['ippools', 'ippool', 'ns', 'netconf', 'cluster'].entries()) {
      a.cluster.addPool(
        pool(name, { ...v4(`10.${i}.0.0/24`, [`10.${i}.0.10-10.${i}.0.20`]), default: name === 'cluster' }),
      );
    }
    a.cluster.namespaces.set('team', {
      metadata: { name: 'team', annotations: { 'ipam.spidernet.io/default-ipv4-ippool': '["ns"]' } },
    });
    const cases: Array<[string, Record<string, string>, string, Record<string, unknown>]> = [
      [
        'a',
        {
          'ipam.spidernet.io/ippools': '[{"interface":"eth0","ipv4":["ippools"]}]',
          'ipam.spidernet.io/ippool': '{"ipv4":["ippool"]}',
        },
        'team',
        {},
      ],
      [
        'b',
        { 'ipam.spidernet.io/ippool': '{"ipv4":["ippool"]}' },
        'team',
        { defaultIPv4IPPool: ['netconf'] },
      ],
      ['c', {}, 'team', { defaultIPv4IPPool: ['netconf'] }],
      ['d', {}, 'default', { defaultIPv4IPPool: ['netconf'] }],
      ['e', {}, 'default', {}],
    ];
    const got: string[] = [];
    for (const [name, annotations, namespace, extra] of cases) {
      const p = podView(name, { annotations, namespace });
      a.cluster.addPod(p);
      got.push((await a.service.allocate(addArgs(p, 'eth0', extra))).ips[0]?.ipPool ?? '');
    }
    expect(got).toEqual(['ippools', 'ippool', 'ns', 'netconf', 'cluster']);
  });

  it('attaches custom routes to the NIC whose subnet holds their gateway', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    const p = podView('web', {
      annotations: {
        'ipam.spidernet.io/routes':
          '[{"dst":"192.168.0.0/16","gw":"10.0.0.5"},{"dst":"1.0.0.0/8","gw":"9.9.9.9"}]',
      },
    });
    a.cluster.addPod(p);
    const res = await a.service.allocate(addArgs(p));
    expect(res.routes).toEqual([
      { ifName: 'eth0', dst: '192.168.0.0/16', gw: '10.0.0.5' },
      { ifName: 'eth0', dst: '0.0.0.0/0', gw: '10.0.0.1' },
    ]);
  });

  it('rejects unknown and dead pods without touching pools', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    await expect(a.service.allocate(addArgs(podView('ghost')))).rejects.toBeInstanceOf(PodNotFoundError);
    const dead = podView('dead', { deleting: true });
    a.cluster.addPod(dead);
    await expect(a.service.allocate(addArgs(dead))).rejects.toBeInstanceOf(PodNotAliveError);
    expect(a.cluster.poolWrites).toBe(0);
  });

  it('keeps the fixed IP of a re-created StatefulSet pod and re-owns its record', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    a.cluster.setOwner('apps/v1', 'StatefulSet', 'default', {
      metadata: { name: 'db', uid: 'sts-uid' },
      spec: { replicas: 2 },
    });
    const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'sts-uid' };
    const first = podView('db-0', { owner, uid: 'uid-1' });
    a.cluster.addPod(first);
    const r1 = await a.service.allocate(addArgs(first));
    expect(a.cluster.endpoint('default', 'db-0')?.metadata.ownerReferences).toBeUndefined();
    // The pod is deleted: DEL keeps everything while it is a valid member.
    a.cluster.podsByKey.delete('default/db-0');
    await a.service.release({ ...addArgs(first), podUID: 'uid-1' });
    expect(a.cluster.allocated('p').size).toBe(1);
    const second = podView('db-0', { owner, uid: 'uid-2' });
    a.cluster.addPod(second);
    const r2 = await a.service.allocate(addArgs(second));
    expect(r2.ips[0]?.address).toBe(r1.ips[0]?.address);
    expect([...a.cluster.allocated('p').values()]).toEqual(['uid-2']);
    expect(a.cluster.endpoint('default', 'db-0')?.status?.current.uid).toBe('uid-2');
  });

  it('uses the SpiderSubnet auto pool the controller created for the workload', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.setOwner('apps/v1', 'ReplicaSet', 'default', {
      metadata: {
        name: 'web-abc',
        uid: 'rs',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true },
        ],
      },
    });
    a.cluster.addPool(
      pool(
        'auto4-web-eth0-uid',
        {
          ...v4(),
          podAffinity: {
            matchLabels: {
              'ipam.spidernet.io/app-api-group': 'apps',
              'ipam.spidernet.io/app-api-version': 'v1',
              'ipam.spidernet.io/app-kind': 'Deployment',
              'ipam.spidernet.io/app-namespace': 'default',
              'ipam.spidernet.io/app-name': 'web',
            },
          },
        },
        {
          'ipam.spidernet.io/owner-spider-subnet': 'subnet-a',
          'ipam.spidernet.io/owner-application-gv': 'apps_v1',
          'ipam.spidernet.io/owner-application-kind': 'Deployment',
          'ipam.spidernet.io/owner-application-namespace': 'default',
          'ipam.spidernet.io/owner-application-name': 'web',
          'ipam.spidernet.io/owner-application-uid': 'dep-uid',
          'ipam.spidernet.io/interface': 'eth0',
          'ipam.spidernet.io/ip-version': 'IPv4',
        },
      ),
    );
    const p = podView('web-abc-1', {
      owner: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs' },
      annotations: { 'ipam.spidernet.io/subnet': '{"ipv4":["subnet-a"]}' },
    });
    a.cluster.addPod(p);
    const res = await a.service.allocate(addArgs(p));
    expect(res.ips[0]?.ipPool).toBe('auto4-web-eth0-uid');
    expect(a.cluster.endpoint('default', 'web-abc-1')?.status).toMatchObject({
      ownerControllerType: 'Deployment',
      ownerControllerName: 'web',
    });
  });

  it('fails with AutoPoolNotReady when the controller never creates the auto pool', async () => {
    const a = fakeAgent({ enableIPv6: false });
    const p = podView('job-1', {
      owner: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'ds' },
      annotations: { 'ipam.spidernet.io/subnet': '{"ipv4":["subnet-a"]}' },
    });
    a.cluster.addPod(p);
    await expect(a.service.allocate(addArgs(p))).rejects.toMatchObject({ code: 'AutoPoolNotReady' });
    expect(a.cluster.events[0]?.event.reason).toBe('AutoPoolNotReady');
  });
});

describe('IpamService concurrency', () => {
  it('coalesces concurrent requests for one pool into few status writes, each request getting its own IP', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4('10.0.0.0/24', ['10.0.0.1-10.0.0.250']), default: true }));
    const pods = Array.from({ length: 100 }, (_, i) => podView(`pod-${i}`));
    for (const p of pods) a.cluster.addPod(p);
    const results = await Promise.all(pods.map((p) => a.service.allocate(addArgs(p))));
    const ips = results.map((r) => r.ips[0]?.address);
    expect(new Set(ips).size).toBe(100);
    expect(a.cluster.allocated('p').size).toBe(100);
    expect(a.cluster.poolWrites).toBeLessThan(100);
    expect(Math.max(...a.batchSizes)).toBeGreaterThan(1);
  });

  it('re-decides the whole batch on a conflict with another writer', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4('10.0.0.0/24', ['10.0.0.1-10.0.0.3']), default: true }));
    let raced = 0;
    a.cluster.beforePoolWrite = () => {
      if (raced++ > 0) return;
      // Another node takes 10.0.0.1 and 10.0.0.2 between our read and our write.
      a.cluster.touchPool('p', (pl) => {
        pl.status = {
          allocatedIPs: JSON.stringify({
            '10.0.0.1': { pod: 'x/a', podUid: 'a' },
            '10.0.0.2': { pod: 'x/b', podUid: 'b' },
          }),
          allocatedIPCount: 2,
        };
      });
    };
    const p = podView('web');
    a.cluster.addPod(p);
    expect((await a.service.allocate(addArgs(p))).ips[0]?.address).toBe('10.0.0.3/24');
    expect(a.cluster.poolConflicts).toBe(1);
  });

  it('fails with a typed error when every write attempt conflicts, leaving no record behind', async () => {
    const a = fakeAgent({
      enableIPv6: false,
      poolUpdate: { attempts: 3, timeoutMs: 0, baseMs: 1, maxMs: 1 },
    });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    a.cluster.beforePoolWrite = () => a.cluster.touchPool('p');
    const p = podView('web');
    a.cluster.addPod(p);
    const err = await a.service.allocate(addArgs(p)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceVersionConflictError);
    expect((err as ResourceVersionConflictError).attempts).toBe(3);
    expect(a.cluster.events[0]?.event.reason).toBe('RetriesExhausted');
    a.cluster.beforePoolWrite = undefined;
    expect(a.cluster.allocated('p').size).toBe(0);
  });
});

describe('IpamService release', () => {
  it('reports every failed release in one error, mapped by the type of the first failure', async () => {
    const a = fakeAgent({ poolUpdate: { attempts: 2, timeoutMs: 0, baseMs: 1, maxMs: 1 } });
    a.cluster.addPool(pool('a4', v4()));
    a.cluster.addPool(pool('a6', { subnet: 'fd00::/64', ips: ['fd00::10-fd00::20'], gateway: 'fd00::1' }));
    const p = podView('web', {
      annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["a4"],"ipv6":["a6"]}' },
    });
    a.cluster.addPod(p);
    await a.service.allocate(addArgs(p));
    a.cluster.podsByKey.delete('default/web');
    a.cluster.beforePoolWrite = (pl) => {
      if (pl.metadata.name === 'a4') a.cluster.touchPool('a4');
      else throw new Error('etcd unavailable');
    };
    const err = await a.service.release(addArgs(p)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as Error).message).toMatch(/^2 IP releases failed: .+; etcd unavailable$/);
    const all = (err as AggregateError).errors;
    expect(all).toHaveLength(2);
    expect(all[0]).toBeInstanceOf(ResourceVersionConflictError);
    expect(all[1]).toMatchObject({ message: 'etcd unavailable' });
    const mapped = toAgentApiError(err);
    expect(mapped.code).toBe('RETRIES_EXHAUSTED');
    expect(mapped.message).toBe((err as Error).message);
  });

  it('releases every IP of a deleted pod and removes its endpoint; DEL is idempotent', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    const p = podView('web');
    a.cluster.addPod(p);
    await a.service.allocate(addArgs(p));
    a.cluster.podsByKey.delete('default/web');
    await a.service.release(addArgs(p));
    expect(a.cluster.allocated('p').size).toBe(0);
    expect(a.cluster.poolsByName.get('p')?.status?.allocatedIPs).toBeUndefined();
    expect(a.cluster.poolsByName.get('p')?.status?.allocatedIPCount).toBe(0);
    expect(a.cluster.endpoint('default', 'web')).toBeUndefined();
    await expect(a.service.release(addArgs(p))).resolves.toBeUndefined();
  });

  it('succeeds for an unknown container and keeps the IPs of a live pod', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    await expect(a.service.release(addArgs(podView('never-seen')))).resolves.toBeUndefined();
    const p = podView('web');
    a.cluster.addPod(p);
    await a.service.allocate(addArgs(p));
    await a.service.release(addArgs(p));
    expect(a.cluster.allocated('p').size).toBe(1);
  });

  it('does not release the records of a newer pod incarnation', async () => {
    const a = fakeAgent({ enableIPv6: false });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    const p = podView('web', { uid: 'new' });
    a.cluster.addPod(p);
    await a.service.allocate(addArgs(p));
    a.cluster.podsByKey.delete('default/web');
    await a.service.release({ ...addArgs(p), podUID: 'old' });
    expect(a.cluster.allocated('p').size).toBe(1);
  });

  it('batch-releases a live pod and honours the conflict-IP guard', async () => {
    const a = fakeAgent({ enableIPv6: false, enableReleaseConflictIPs: false });
    a.cluster.addPool(pool('p', { ...v4(), default: true }));
    const p = podView('web');
    a.cluster.addPod(p);
    await a.service.allocate(addArgs(p));
    await expect(a.service.releaseAll({ ...addArgs(p), isReleaseConflictIPs: true })).rejects.toBeInstanceOf(
      ReleaseForbiddenStatelessError,
    );
    await a.service.releaseAll(addArgs(p));
    expect(a.cluster.allocated('p').size).toBe(0);
    expect(a.cluster.endpoint('default', 'web')?.status?.current.ips).toEqual([]);
  });
});
