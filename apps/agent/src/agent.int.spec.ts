/**
 * Int tier: in-process agents against the real kube-apiserver of the int globalSetup (SPIDERPOOL_TEST_KUBECONFIG),
 * each with its own node name, informers, managers and unix socket, driven through the agent-api contract.
 */
import { randomBytes } from 'node:crypto';
import { EventsV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { intTierKubeconfig, testNamespace } from '@spiderpool/testing';
import { pino } from 'pino';
import { AgentFleet, ClusterFixtures, mapConcurrent } from './fleet/agent-fleet.js';
import { httpCall } from './server/agent-http.fake.js';

const kc = new KubeConfig();
kc.loadFromFile(intTierKubeconfig());
const fx = new ClusterFixtures(kc);
const logger = pino({ level: process.env['AGENT_INT_LOG'] ?? 'silent' });
const suffix = randomBytes(3).toString('hex');

const addBody = (pod: V1Pod, ifName = 'eth0', extra: Record<string, unknown> = {}) => ({
  containerID: `ctr-${pod.metadata?.name}`,
  ifName,
  netNamespace: '/var/run/netns/test',
  podNamespace: pod.metadata?.namespace,
  podName: pod.metadata?.name,
  podUID: pod.metadata?.uid,
  ...extra,
});

describe('10 agents share one 1000-IP pool', () => {
  const ns = testNamespace('agent-scale');
  const poolName = `scale-${suffix}`;
  let fleet: AgentFleet;
  let pods: V1Pod[];

  beforeAll(async () => {
    await fx.namespace(ns);
    // 10.200.0.1 – 10.200.3.232 = 1000 addresses.
    await fx.pool(poolName, {
      subnet: '10.200.0.0/16',
      ips: ['10.200.0.1-10.200.3.232'],
      gateway: '10.200.255.254',
    });
    pods = await fx.pods(
      ns,
      Array.from({ length: 1001 }, (_, i) => ({
        name: `pod-${i}`,
        nodeName: `scale-${suffix}-${i % 10}`,
        annotations: { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: [poolName] }) },
      })),
    );
    fleet = await AgentFleet.start(kc, { size: 10, nodePrefix: `scale-${suffix}`, logger });
  }, 180_000);

  afterAll(async () => {
    await fleet?.close();
    await fx.deleteAllPods(ns).catch(() => undefined);
    await fx.deletePool(poolName);
    await fx.core.deleteNamespace({ name: ns }).catch(() => undefined);
  }, 60_000);

  const agentOf = (i: number) => fleet.agents[i % 10] as (typeof fleet.agents)[number];
  let addresses: string[] = [];

  it('allocates 1000 IPs concurrently with zero duplicates', async () => {
    const replies = await Promise.all(
      pods
        .slice(0, 1000)
        .map((pod, i) =>
          httpCall({ socketPath: agentOf(i).socketPath }, 'POST', '/v1/ipam/ip', addBody(pod)),
        ),
    );
    const failed = replies.filter((r) => r.status !== 200);
    if (failed.length > 0) {
      // Every failing request's error, grouped by code, so a failure names its cause (not just its count).
      const byCode = new Map<string, string[]>();
      for (const r of failed) {
        const code = (r.body as { code?: string } | undefined)?.code ?? `HTTP ${r.status}`;
        byCode.set(code, [...(byCode.get(code) ?? []), r.text]);
      }
      console.error(
        `${failed.length} of 1000 ADDs failed:\n` +
          [...byCode].map(([code, texts]) => `  ${code} ×${texts.length}: ${texts[0]}`).join('\n'),
      );
    }
    expect(failed.map((r) => r.text).slice(0, 3)).toEqual([]);
    addresses = replies.map((r) => (r.body as { ips: Array<{ address: string }> }).ips[0]?.address ?? '');
    expect(new Set(addresses).size).toBe(1000);
    const pool = await fx.readPool(poolName);
    expect(pool.status?.allocatedIPCount).toBe(1000);
    expect(Object.keys(JSON.parse(pool.status?.allocatedIPs ?? '{}') as object)).toHaveLength(1000);
  }, 180_000);

  it('answers a repeated ADD with the same IP', async () => {
    const again = await Promise.all(
      [0, 1, 2, 999].map((i) =>
        httpCall(
          { socketPath: agentOf(i).socketPath },
          'POST',
          '/v1/ipam/ip',
          addBody(pods[i] as V1Pod, 'eth0', { containerID: 'retry' }),
        ),
      ),
    );
    expect(again.map((r) => (r.body as { ips: Array<{ address: string }> }).ips[0]?.address)).toEqual(
      [0, 1, 2, 999].map((i) => addresses[i]),
    );
    expect((await fx.readPool(poolName)).status?.allocatedIPCount).toBe(1000);
  });

  it('gives the 1001st pod the typed exhaustion error and a Warning Event', async () => {
    const pod = pods[1000] as V1Pod;
    const reply = await httpCall(
      { socketPath: agentOf(1000).socketPath },
      'POST',
      '/v1/ipam/ip',
      addBody(pod),
    );
    expect(reply).toMatchObject({
      status: 409,
      body: { code: 'IP_EXHAUSTED', details: { rejections: [{ pool: poolName, reason: 'Exhausted' }] } },
    });
    const events = kc.makeApiClient(EventsV1Api);
    let reasons: string[] = [];
    for (let i = 0; i < 50 && !reasons.includes('IPExhausted'); i++) {
      const list = await events.listNamespacedEvent({
        namespace: ns,
        fieldSelector: `regarding.name=${pod.metadata?.name}`,
      });
      reasons = list.items.map((e) => e.reason ?? '');
      if (!reasons.includes('IPExhausted')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(reasons).toContain('IPExhausted');
  }, 30_000);

  it('releases all 1000 on DEL and leaves the pool empty', async () => {
    await fx.deleteAllPods(ns);
    const replies = await mapConcurrent(pods.slice(0, 1000), 1000, (pod, i) =>
      httpCall({ socketPath: agentOf(i).socketPath }, 'DELETE', '/v1/ipam/ip', {
        containerID: 'c',
        ifName: 'eth0',
        podNamespace: ns,
        podName: pod.metadata?.name,
        podUID: pod.metadata?.uid,
      }),
    );
    expect(
      replies
        .filter((r) => r.status !== 200)
        .map((r) => r.text)
        .slice(0, 3),
    ).toEqual([]);
    const pool = await fx.readPool(poolName);
    expect(pool.status?.allocatedIPs).toBeUndefined();
    expect(pool.status?.allocatedIPCount).toBe(0);
  }, 180_000);
});

describe('pool selection tiers against the real API server', () => {
  const ns = testNamespace('agent-tiers');
  const nsDefault = testNamespace('agent-tiers-ns');
  const name = (tier: string) => `tier-${tier}-${suffix}`;
  let fleet: AgentFleet;
  const node = `tiers-${suffix}-0`;

  beforeAll(async () => {
    await fx.namespace(ns);
    await fx.namespace(nsDefault, { 'ipam.spidernet.io/default-ipv4-ippool': JSON.stringify([name('ns')]) });
    const tiers = ['ippools', 'ippool', 'ns', 'netconf', 'cluster'];
    for (const [i, tier] of tiers.entries()) {
      await fx.pool(name(tier), {
        subnet: `10.${210 + i}.0.0/24`,
        ips: [`10.${210 + i}.0.10-10.${210 + i}.0.20`],
        default: tier === 'cluster',
      });
    }
    fleet = await AgentFleet.start(kc, { size: 1, nodePrefix: `tiers-${suffix}`, logger });
  }, 120_000);

  afterAll(async () => {
    await fleet?.close();
    for (const tier of ['ippools', 'ippool', 'ns', 'netconf', 'cluster']) await fx.deletePool(name(tier));
    await fx.deleteAllPods(ns).catch(() => undefined);
    await fx.deleteAllPods(nsDefault).catch(() => undefined);
    await fx.core.deleteNamespace({ name: ns }).catch(() => undefined);
    await fx.core.deleteNamespace({ name: nsDefault }).catch(() => undefined);
  }, 60_000);

  it.each([
    [
      'pod ippools annotation',
      ns,
      { 'ipam.spidernet.io/ippools': JSON.stringify([{ interface: 'eth0', ipv4: [name('ippools')] }]) },
      {},
      'ippools',
    ],
    [
      'pod ippool annotation',
      ns,
      { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: [name('ippool')] }) },
      {},
      'ippool',
    ],
    ['namespace default', nsDefault, {}, { defaultIPv4IPPool: [name('netconf')] }, 'ns'],
    ['CNI-config default', ns, {}, { defaultIPv4IPPool: [name('netconf')] }, 'netconf'],
    ['cluster default pools', ns, {}, {}, 'cluster'],
  ])('selects by the %s', async (label, namespace, annotations, extra, tier) => {
    const podName = `p-${String(label).replace(/[^a-z]+/g, '-')}`.replace(/-+$/, '');
    const [pod] = await fx.pods(namespace, [{ name: podName, nodeName: node, annotations }]);
    const agent = fleet.agents[0] as (typeof fleet.agents)[number];
    let reply = await httpCall(
      { socketPath: agent.socketPath },
      'POST',
      '/v1/ipam/ip',
      addBody(pod as V1Pod, 'eth0', extra),
    );
    // The pod may reach the informer a moment after creation; the agent falls back to a live read, so one call suffices.
    expect(reply.status).toBe(200);
    expect((reply.body as { ips: Array<{ ipPool: string }> }).ips[0]?.ipPool).toBe(name(tier));
    reply = await httpCall(
      { socketPath: agent.socketPath },
      'POST',
      '/v1/ipam/ip',
      addBody(pod as V1Pod, 'eth0', extra),
    );
    expect((reply.body as { ips: Array<{ ipPool: string }> }).ips[0]?.ipPool).toBe(name(tier));
  });
});
