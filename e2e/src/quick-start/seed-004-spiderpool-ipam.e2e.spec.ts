import { seed004Scenario, type MultusConfigSpec } from '@spiderpool/local-cluster';
import { waitFor } from '@spiderpool/testing';
import { localClusterSkip, type PodView } from '../support/local-cluster.gate.js';
import { inRange, journey, seedFixture, seedWorkload } from '../support/journey.js';
import { spiderpoolCluster } from '../support/spiderpool-cluster.js';

const d = localClusterSkip() ? describe.skip : describe;

interface PoolView {
  metadata: { name: string };
  status?: { allocatedIPCount?: number; totalIPCount?: number; allocatedIPs?: string };
}

interface NadView {
  metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  spec: { config: string };
}

interface CoordinatorView {
  status?: { phase?: string; overlayPodCIDR?: string[]; serviceCIDR?: string[] };
}

const smcSpec = seed004Scenario.multusConfigs?.[0] as MultusConfigSpec;

// The real chain: Multus → bridge (macvlan stand-in; macvlan where the kernel has it) → our `spiderpool` IPAM → the
// node's agent → the apiserver; the NAD rendered by our controller from a SpiderMultusConfig.
d('quick start (seed 004) with Spiderpool: coordinator, SpiderMultusConfig, pool, Deployment, release', () => {
  const j = journey('seed 004 + spiderpool', spiderpoolCluster(seed004Scenario), { startTimeoutMs: 600_000 });
  let pods: PodView[] = [];
  const pool = () => j.kubectlJson<PoolView>(['get', 'spiderippool', 'ippool-test']);

  it('syncs the default SpiderCoordinator from kube-system/kubeadm-config', async () => {
    const { podSubnet, serviceSubnet } = j.cluster().networking;
    const status = await waitFor(
      async () => {
        const c = await j
          .kubectlJson<CoordinatorView>(['get', 'spidercoordinators.spiderpool.spidernet.io', 'default'])
          .catch(() => undefined);
        return c?.status?.phase === 'Synced' ? c.status : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, description: 'SpiderCoordinator default Synced' },
    );
    expect(status).toEqual({ phase: 'Synced', overlayPodCIDR: [podSubnet], serviceCIDR: [serviceSubnet] });
  });

  it('renders kube-system/macvlan-conf from its SpiderMultusConfig, owned by it, with spiderpool IPAM', async () => {
    const smc = j.cluster().multusConfig(smcSpec, seedFixture(smcSpec.seedFixture ?? ''));
    await j.apply(smc);
    expect(await j.kubectl(['get', 'spidermultusconfigs', '-n', 'kube-system', '--no-headers'])).toMatch(
      /^macvlan-conf\s/m,
    );
    const nad = await waitFor(
      () =>
        j
          .kubectlJson<NadView>(['get', 'network-attachment-definitions.k8s.cni.cncf.io', '-n', 'kube-system', 'macvlan-conf'])
          .catch(() => undefined),
      { timeoutMs: 60_000, intervalMs: 250, description: 'NAD kube-system/macvlan-conf' },
    );
    expect(nad.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'SpiderMultusConfig', name: 'macvlan-conf', controller: true }),
    ]);
    const config = JSON.parse(nad.spec.config) as { type?: string; plugins?: { type: string; ipam?: unknown }[] };
    const main = config.plugins?.[0] ?? config;
    expect(main).toMatchObject({ type: j.cluster().underlayPlugin, ipam: { type: 'spiderpool' } });
  });

  it("creates the guide's pool through our webhook (mutations visible)", async () => {
    await j.applySeed('004-2.yaml');
    const created = await j.kubectlJson<{ spec: { ipVersion?: number }; metadata: { finalizers?: string[] } }>([
      'get',
      'spiderippool',
      'ippool-test',
    ]);
    // the mutating webhook adds the finalizer and the ipVersion default (the VERSION column)
    expect(created.spec.ipVersion).toBe(4);
    expect(created.metadata.finalizers).toContain('spiderpool.spidernet.io');
    expect(await j.kubectl(['get', 'spiderippool', 'ippool-test', '--no-headers'])).toMatch(
      /^ippool-test\s+4\s+172\.18\.0\.0\/16/,
    );
  });

  it('runs the Deployment with IPs from ippool-test and a SpiderEndpoint per pod', async () => {
    const app = seedWorkload(seed004Scenario);
    await j.kubectl(['create', '-f', '-'], { input: app.manifest });
    pods = await j.runningPods(app.selector, app.replicas);
    for (const p of pods) expect(inRange(p.status.podIP ?? '', '172.18.30.131', '172.18.30.140')).toBe(true);
    const endpoints = await j.kubectlJson<{
      items: { metadata: { name: string }; status?: { current?: { ips?: { ipv4?: string }[] } } }[];
    }>(['get', 'spiderendpoints', '-n', 'default']);
    expect(endpoints.items.map((e) => e.metadata.name).sort()).toEqual(pods.map((p) => p.metadata.name).sort());
    for (const e of endpoints.items) {
      const pod = pods.find((p) => p.metadata.name === e.metadata.name);
      expect(e.status?.current?.ips?.[0]?.ipv4?.split('/')[0]).toBe(pod?.status.podIP);
    }
  });

  it('shows ALLOCATED-IP-COUNT 2 / TOTAL-IP-COUNT 10 on the pool', async () => {
    const status = await waitFor(
      async () => {
        const p = await pool();
        return p.status?.allocatedIPCount === 2 && p.status.totalIPCount === 10 ? p.status : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'ippool-test status 2/10' },
    );
    expect(status).toMatchObject({ allocatedIPCount: 2, totalIPCount: 10 });
    expect(await j.kubectl(['get', 'sp', 'ippool-test', '--no-headers'])).toMatch(
      /^ippool-test\s+4\s+172\.18\.0\.0\/16\s+2\s+10\b/,
    );
  });

  it('pings pod to pod on the underlay', async () => {
    const [a, b] = pods as [PodView, PodView];
    expect(await j.ping(a, b)).toContain('2 received');
  });

  it('returns every IP and removes every SpiderEndpoint when the Deployment is deleted', async () => {
    await j.kubectl(['delete', 'deployment', 'test-app', '--wait=false']);
    await waitFor(
      async () => {
        const [p, eps] = await Promise.all([pool(), j.kubectlJson<{ items: unknown[] }>(['get', 'spiderendpoints', '-A'])]);
        return (p.status?.allocatedIPCount ?? 0) === 0 && eps.items.length === 0 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, description: 'allocatedIPCount 0 and no SpiderEndpoints' },
    );
    const p = await pool();
    expect(p.status?.allocatedIPCount ?? 0).toBe(0);
    expect(JSON.parse(p.status?.allocatedIPs ?? '{}')).toEqual({});
  });
});
