/**
 * Int tier: spiderpoolctl's commands against the real kube-apiserver of the int globalSetup
 * (SPIDERPOOL_TEST_KUBECONFIG), over objects written the way the agent writes them: pool records through the
 * `/status` subresource (allocatedIPs JSON + allocatedIPCount), a SpiderEndpoint with our finalizer and status.
 */
import { randomBytes } from 'node:crypto';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, FINALIZER } from '@spiderpool/crd-types';
import { serializeAllocatedIPs } from '@spiderpool/ipam-core';
import { intTierKubeconfig, testNamespace } from '@spiderpool/testing';
import { runCli } from './cli/cli.js';
import { KubeClusterClient } from './cluster/kube-cluster.client.js';
import { EXIT } from './errors.js';

const kc = new KubeConfig();
kc.loadFromFile(intTierKubeconfig());
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const sfx = randomBytes(3).toString('hex');
const ns = testNamespace('ctl');
const node1 = `ctl-node-1-${sfx}`;
const node2 = `ctl-node-2-${sfx}`;
const GV = { group: API_GROUP, version: API_VERSION };
const poolA = `ctl-a-${sfx}`;
const poolB = `ctl-b-${sfx}`;
const poolC = `ctl-c-${sfx}`;

async function createPool(name: string, spec: Record<string, unknown>, allocated?: Map<string, { pod: string; podUid: string }>) {
  await custom.createClusterCustomObject({
    ...GV,
    plural: 'spiderippools',
    body: {
      apiVersion: `${API_GROUP}/${API_VERSION}`,
      kind: 'SpiderIPPool',
      metadata: { name },
      spec: { ipVersion: 4, subnet: '10.77.0.0/24', ips: ['10.77.0.10-10.77.0.19'], ...spec },
    },
  });
  if (allocated === undefined) return;
  const current = (await custom.getClusterCustomObject({ ...GV, plural: 'spiderippools', name })) as Record<string, unknown>;
  await custom.replaceClusterCustomObjectStatus({
    ...GV,
    plural: 'spiderippools',
    name,
    body: { ...current, status: { allocatedIPs: serializeAllocatedIPs(allocated), allocatedIPCount: allocated.size } },
  });
}

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  const run = (...argv: string[]) =>
    runCli(argv, {
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
      config: { kubeconfig: undefined, spiderpoolNamespace: 'kube-system' },
      connect: () => new KubeClusterClient(kc),
      readFile: () => '',
      now: () => Date.now(),
    });
  return { out, err, run };
}

describe('spiderpoolctl against a real apiserver', () => {
  let webUid = '';

  beforeAll(async () => {
    await core.createNamespace({ body: { metadata: { name: ns, labels: { team: 'blue' } } } });
    for (const name of [node1, node2]) await core.createNode({ body: { metadata: { name, labels: { zone: name } } } });
    const pod = await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: {
          name: 'web',
          annotations: { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: [poolA, poolB, poolC] }) },
        },
        spec: { nodeName: node1, containers: [{ name: 'c', image: 'pause' }] },
      },
    });
    webUid = pod.metadata?.uid ?? '';
    await createPool(poolA, {}, new Map([['10.77.0.10', { pod: `${ns}/web`, podUid: webUid }]]));
    await createPool(poolB, { subnet: '10.77.1.0/24', ips: ['10.77.1.10'], nodeName: [node2] });
    await createPool(poolC, { subnet: '10.77.2.0/24', ips: ['10.77.2.10'], namespaceAffinity: { matchLabels: { team: 'red' } } });
    await custom.createNamespacedCustomObject({
      ...GV,
      plural: 'spiderendpoints',
      namespace: ns,
      body: {
        apiVersion: `${API_GROUP}/${API_VERSION}`,
        kind: 'SpiderEndpoint',
        metadata: { name: 'web', namespace: ns, finalizers: [FINALIZER], ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'web', uid: webUid }] },
        status: {
          current: { uid: webUid, node: node1, ips: [{ interface: 'eth0', ipv4: '10.77.0.10/24', ipv4Pool: poolA, vlan: 0 }] },
          ownerControllerType: 'Pod',
          ownerControllerName: 'web',
        },
      },
    });
  }, 60_000);

  afterAll(async () => {
    const ep = (await custom
      .getNamespacedCustomObject({ ...GV, plural: 'spiderendpoints', namespace: ns, name: 'web' })
      .catch(() => undefined)) as { metadata: Record<string, unknown> } | undefined;
    if (ep !== undefined) {
      await custom
        .replaceNamespacedCustomObject({ ...GV, plural: 'spiderendpoints', namespace: ns, name: 'web', body: { ...ep, metadata: { ...ep.metadata, finalizers: [] } } })
        .catch(() => undefined);
    }
    for (const name of [poolA, poolB, poolC]) await custom.deleteClusterCustomObject({ ...GV, plural: 'spiderippools', name }).catch(() => undefined);
    for (const name of [node1, node2]) await core.deleteNode({ name }).catch(() => undefined);
    await core.deleteNamespace({ name: ns }).catch(() => undefined);
  }, 60_000);

  it('explain: pools pinned by nodeName and namespace affinity are rejected with their reasons', async () => {
    const h = cli();
    expect(await h.run('explain', 'web', '-n', ns, '-o', 'json')).toBe(0);
    const e = JSON.parse(h.out.join('\n'));
    expect(e.tier).toBe('ippool');
    expect(e.verdict).toEqual({ ok: true });
    const fam = e.nics[0].families[0];
    expect(fam.candidates).toEqual([{ pool: poolA, freeIPs: '9' }]);
    expect(fam.rejected).toEqual([
      { pool: poolB, reason: 'NodeNotMatched', detail: `nodeName [${node2}] does not include ${node1}`, freeIPs: '1' },
      { pool: poolC, reason: 'NamespaceNotMatched', detail: `namespaceAffinity does not match the labels of namespace ${ns}`, freeIPs: '1' },
    ]);
  });

  it('ip show: the pool, the record and the SpiderEndpoint', async () => {
    const h = cli();
    expect(await h.run('ip', 'show', '--ip', '10.77.0.10', '-o', 'json')).toBe(0);
    expect(JSON.parse(h.out.join('\n'))).toMatchObject({
      pool: poolA,
      pod: `${ns}/web`,
      podUid: webUid,
      nic: 'eth0',
      endpoint: { name: `${ns}/web`, uid: webUid, node: node1 },
    });
  });

  it('ip release: refused while the pod exists, --force removes the record and the endpoint entry', async () => {
    const h = cli();
    expect(await h.run('ip', 'release', '--ip', '10.77.0.10')).toBe(EXIT.refused);
    expect(await h.run('ip', 'release', '--ip', '10.77.0.10', '--force')).toBe(0);
    const pool = (await custom.getClusterCustomObject({ ...GV, plural: 'spiderippools', name: poolA })) as {
      status?: { allocatedIPs?: string; allocatedIPCount?: number };
    };
    expect(pool.status?.allocatedIPs).toBeUndefined();
    expect(pool.status?.allocatedIPCount).toBe(0);
    const ep = (await custom.getNamespacedCustomObject({ ...GV, plural: 'spiderendpoints', namespace: ns, name: 'web' })) as {
      status: { current: { ips: unknown[] } };
    };
    expect(ep.status.current.ips).toEqual([]);
    expect(await h.run('ip', 'show', '--ip', '10.77.0.10')).toBe(EXIT.notFound);
  });
});
