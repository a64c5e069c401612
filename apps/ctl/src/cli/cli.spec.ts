import type { V1Pod } from '@kubernetes/client-node';
import type { SpiderEndpoint } from '@spiderpool/crd-types';
import { FakeCluster } from '../cluster/cluster.fake.js';
import type { StoredPool } from '../cluster/cluster.port.js';
import { EXIT } from '../errors.js';
import { runCli } from './cli.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function pool(name: string, spec: Partial<StoredPool['spec']>, allocated?: Record<string, { pod: string; podUid: string }>): StoredPool {
  return {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderIPPool',
    metadata: { name },
    spec: { ipVersion: 4, subnet: '10.0.0.0/24', ips: ['10.0.0.10-10.0.0.19'], ...spec },
    ...(allocated === undefined
      ? {}
      : { status: { allocatedIPs: JSON.stringify(allocated), allocatedIPCount: Object.keys(allocated).length } }),
  } as StoredPool;
}

function pod(name: string, uid: string, extra: Partial<V1Pod['metadata']> = {}, status: V1Pod['status'] = { phase: 'Running', podIPs: [{ ip: '10.0.0.10' }] }): V1Pod {
  return { metadata: { namespace: 'ns1', name, uid, ...extra }, spec: { nodeName: 'node-1', containers: [] }, status };
}

function endpoint(name: string, uid: string, ip: string): SpiderEndpoint {
  return {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderEndpoint',
    metadata: { namespace: 'ns1', name, finalizers: ['spiderpool.spidernet.io'] },
    status: {
      current: { uid, node: 'node-1', ips: [{ interface: 'eth0', ipv4: `${ip}/24`, ipv4Pool: 'pool-a', vlan: 0 }] },
      ownerControllerType: 'Pod',
      ownerControllerName: name,
    },
  };
}

function harness(cluster: FakeCluster) {
  const out: string[] = [];
  const err: string[] = [];
  const run = (...argv: string[]) =>
    runCli(argv, {
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
      config: { kubeconfig: undefined, spiderpoolNamespace: 'kube-system' },
      connect: () => cluster,
      readFile: () => {
        throw new Error('ENOENT');
      },
      now: () => NOW,
    });
  return { out, err, run };
}

function seeded(): FakeCluster {
  const c = new FakeCluster();
  c.addPool(pool('pool-a', {}, { '10.0.0.10': { pod: 'ns1/web', podUid: 'u1' }, '10.0.0.11': { pod: 'ns1/gone', podUid: 'u2' } }));
  c.addPod(pod('web', 'u1'));
  c.addEndpoint(endpoint('web', 'u1', '10.0.0.10'));
  c.addEndpoint(endpoint('gone', 'u2', '10.0.0.11'));
  c.nodes.set('node-1', { metadata: { name: 'node-1', labels: { zone: 'a' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  c.namespaces.set('ns1', { metadata: { name: 'ns1', labels: { team: 'x' } } });
  return c;
}

const records = async (c: FakeCluster, name: string) => JSON.parse((await c.getPool(name))?.status?.allocatedIPs ?? '{}') as Record<string, unknown>;

describe('spiderpoolctl', () => {
  it('prints usage, version and maps usage errors to exit 2 with one stderr line', async () => {
    const h = harness(new FakeCluster());
    expect(await h.run('version')).toBe(0);
    expect(h.out.at(-1)).toMatch(/^spiderpoolctl \d/);
    expect(await h.run('frobnicate')).toBe(EXIT.usage);
    expect(await h.run('ip', 'show')).toBe(EXIT.usage);
    expect(await h.run('ip', 'show', '--ip', 'nope')).toBe(EXIT.usage);
    expect(await h.run('validate')).toBe(EXIT.usage);
    expect(await h.run('validate', '-f', 'missing.yaml')).toBe(EXIT.usage);
    expect(h.err).toHaveLength(5);
    expect(h.err.every((l) => !l.includes('\n') && l.startsWith('usage: '))).toBe(true);
  });

  it('ip show: pool, record, nic and endpoint, as json', async () => {
    const h = harness(seeded());
    expect(await h.run('ip', 'show', '--ip', '10.0.0.10', '-o', 'json')).toBe(0);
    expect(JSON.parse(h.out.join('\n'))).toMatchObject({
      ip: '10.0.0.10',
      pool: 'pool-a',
      pod: 'ns1/web',
      podUid: 'u1',
      nic: 'eth0',
      endpoint: { name: 'ns1/web', uid: 'u1', ownerControllerType: 'Pod' },
    });
  });

  it('ip show of an unrecorded IP exits 3', async () => {
    const h = harness(seeded());
    expect(await h.run('ip', 'show', '--ip', '10.0.0.99')).toBe(EXIT.notFound);
    expect(h.err).toEqual(['not found: no SpiderIPPool records IP 10.0.0.99']);
  });

  it('ip release refuses while the pod runs, and --force releases record and endpoint entry', async () => {
    const c = seeded();
    const h = harness(c);
    expect(await h.run('ip', 'release', '--ip', '10.0.0.10')).toBe(EXIT.refused);
    expect(Object.keys(await records(c, 'pool-a'))).toEqual(['10.0.0.10', '10.0.0.11']);
    expect(await h.run('ip', 'release', '--ip', '10.0.0.10', '--force')).toBe(0);
    expect(Object.keys(await records(c, 'pool-a'))).toEqual(['10.0.0.11']);
    expect((await c.getPool('pool-a'))?.status?.allocatedIPCount).toBe(1);
    expect((await c.getEndpoint('ns1', 'web'))?.status?.current.ips).toEqual([]);
  });

  it('ip release of a terminating pod needs no --force and survives write conflicts', async () => {
    const c = seeded();
    c.addPod(pod('web', 'u1', { deletionTimestamp: new Date(NOW) }));
    c.conflictsBeforeWrite = 2;
    const h = harness(c);
    expect(await h.run('ip', 'release', '--ip', '10.0.0.10')).toBe(0);
    expect(Object.keys(await records(c, 'pool-a'))).toEqual(['10.0.0.11']);
  });

  it('ip release leaves an endpoint of another pod incarnation alone', async () => {
    const c = seeded();
    c.addEndpoint(endpoint('gone', 'other-uid', '10.0.0.11'));
    const h = harness(c);
    expect(await h.run('ip', 'release', '--ip', '10.0.0.11', '-o', 'json')).toBe(0);
    expect(JSON.parse(h.out.join('\n'))).toMatchObject({ poolReleased: true, endpointEntriesRemoved: 0 });
    expect((await c.getEndpoint('ns1', 'gone'))?.status?.current.ips).toHaveLength(1);
  });

  it('gc is a dry run by default and --apply releases what the decision collects', async () => {
    const c = seeded();
    const h = harness(c);
    expect(await h.run('gc')).toBe(0);
    expect(h.out).toEqual([
      'keep    10.0.0.10 pool-a ns1/web PodHasIPs',
      'release 10.0.0.11 pool-a ns1/gone PodGone',
      '2 record(s), 1 to release (dry run; --apply releases)',
    ]);
    expect(Object.keys(await records(c, 'pool-a'))).toHaveLength(2);
    expect(await h.run('gc', '--apply', '-o', 'json')).toBe(0);
    expect(Object.keys(await records(c, 'pool-a'))).toEqual(['10.0.0.10']);
    expect(await h.run('gc', '--apply', '--dry-run')).toBe(EXIT.usage);
  });

  it('explain names the tier, the ordered candidates with free IPs and why each other pool was rejected', async () => {
    const c = seeded();
    c.addPool(pool('pool-b', { nodeName: ['node-2'] }));
    c.addPool(pool('pool-c', { namespaceAffinity: { matchLabels: { team: 'y' } } }));
    c.addPool(pool('pool-d', { nodeAffinity: { matchLabels: { zone: 'a' } } }));
    c.addPod(
      pod('web', 'u1', {
        annotations: { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: ['pool-a', 'pool-b', 'pool-c', 'pool-d', 'pool-x'] }) },
      }),
    );
    c.reservedIPs.push({
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderReservedIP',
      metadata: { name: 'r' },
      spec: { ipVersion: 4, ips: ['10.0.0.19'] },
    });
    const h = harness(c);
    expect(await h.run('explain', 'web', '-n', 'ns1')).toBe(0);
    expect(h.out).toEqual([
      'pod ns1/web on node node-1',
      'tier: ippool',
      'nic eth0 IPv4: requested [pool-a pool-b pool-c pool-d pool-x]',
      '  candidate 1: pool-d (free 9)',
      '  candidate 2: pool-a (free 7)',
      '  rejected: pool-b: NodeNotMatched (nodeName [node-2] does not include node-1) free 9',
      '  rejected: pool-c: NamespaceNotMatched (namespaceAffinity does not match the labels of namespace ns1) free 9',
      '  rejected: pool-x: NotFound (IPPool pool-x does not exist)',
      'verdict: ok',
    ]);
  });

  it('explain reports the selection failure and exits 0; a missing pod exits 3', async () => {
    const c = seeded();
    c.addPool(pool('pool-b', { nodeName: ['node-2'] }));
    c.namespaces.set('ns1', {
      metadata: { name: 'ns1', annotations: { 'ipam.spidernet.io/default-ipv4-ippool': '["pool-b"]' } },
    });
    const h = harness(c);
    expect(await h.run('explain', 'web', '-n', 'ns1', '-o', 'json')).toBe(0);
    const e = JSON.parse(h.out.join('\n'));
    expect(e).toMatchObject({ tier: 'namespace', verdict: { ok: false, code: 'NoAvailablePool' } });
    expect(e.nics[0].families[0].rejected[0]).toMatchObject({ pool: 'pool-b', reason: 'NodeNotMatched' });
    expect(await h.run('explain', 'nope', '-n', 'ns1')).toBe(EXIT.notFound);
  });
});
