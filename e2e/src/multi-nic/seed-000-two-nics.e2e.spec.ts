/**
 * Seed 000 (Running On Alibaba Cloud) as a local-cluster journey: two host NICs, per-node per-NIC default pools,
 * pods without pool annotations.
 *
 * What differs from the guide, and why:
 * - The guide's ipvlan SpiderMultusConfigs `kube-system/ipvlan-eth0` / `ipvlan-eth1` (000-1/000-2.yaml, master
 *   `eth0` / `eth1`) are applied as `cniType: custom` SMCs of the same names whose config is the bridge plugin on
 *   the NIC's zone bridge with `ipam: {type: spiderpool}`: this kernel has no ipvlan. Each "host NIC" is a zone
 *   bridge of its own, with its gateway in the router netns.
 * - Node names, subnets, gateways and pool manifests are the guide's, unchanged (000-3…000-6.yaml: nodes `master` /
 *   `worker`, 172.31.192.0/20 via 172.31.207.253 and 192.168.0.0/24 via 192.168.0.253): the underlay lives in
 *   namespaces of this run, so the guide's addresses collide with nothing.
 * - The app is the guide's `test-app-1` DaemonSet plus `k8s.v1.cni.cncf.io/networks: kube-system/ipvlan-eth1`
 *   (a second NIC per pod, as the guide's topology offers), without its container port; no Service (no kube-proxy).
 */
import { seed000Scenario } from '@spiderpool/local-cluster';
import { localClusterSkip, type PodView } from '../support/local-cluster.gate.js';
import { inRange, journey, seedWorkload } from '../support/journey.js';
import { spiderpoolCluster } from '../support/spiderpool-cluster.js';
import {
  applyScenarioMultusConfigs,
  endpointOf,
  pingFrom,
  podAddresses,
  waitAllReleased,
  type EndpointIPView,
} from '../support/multi-nic.steps.js';

const d = localClusterSkip() ? describe.skip : describe;

/** The guide's per-node, per-NIC pools: node → NIC → [pool, first IP, last IP, prefix]. */
const POOLS = {
  master: {
    eth0: ['master-172', '172.31.199.185', '172.31.199.189', 20],
    net1: ['master-192', '192.168.0.156', '192.168.0.160', 24],
  },
  worker: {
    eth0: ['worker-172', '172.31.199.190', '172.31.199.194', 20],
    net1: ['worker-192', '192.168.0.161', '192.168.0.165', 24],
  },
} as const;
const POOL_NAMES = ['master-172', 'master-192', 'worker-172', 'worker-192'];

d(
  'multi-NIC (seed 000, Alibaba Cloud): per-node pools for two NICs, default pools, no pool annotations',
  () => {
    const j = journey('seed 000 + spiderpool', spiderpoolCluster(seed000Scenario), {
      startTimeoutMs: 600_000,
    });
    const app = seedWorkload(seed000Scenario);
    let pods: PodView[] = [];
    /** pod name → NIC → IPv4 (no prefix) */
    const ips = new Map<string, { eth0: string; net1: string }>();

    it('renders kube-system/ipvlan-eth0 and ipvlan-eth1 from their SpiderMultusConfigs', async () => {
      await applyScenarioMultusConfigs(j, seed000Scenario);
      expect(await j.kubectl(['get', 'spidermultusconfigs', '-n', 'kube-system', '--no-headers'])).toMatch(
        /^ipvlan-eth0\s[\s\S]*^ipvlan-eth1\s/m,
      );
      const nads = await j.kubectl([
        'get',
        'network-attachment-definitions.k8s.cni.cncf.io',
        '-n',
        'kube-system',
        '--no-headers',
      ]);
      expect(nads).toMatch(/^ipvlan-eth0\s/m);
      expect(nads).toMatch(/^ipvlan-eth1\s/m);
    });

    it("creates the guide's four per-node default pools", async () => {
      await j.applySeed(...app.fixtures);
      const out = await j.kubectl(['get', 'spiderippool', '--no-headers']);
      expect(out).toMatch(/^master-172\s+4\s+172\.31\.192\.0\/20\s+0\s+5\s+true\b/m);
      expect(out).toMatch(/^master-192\s+4\s+192\.168\.0\.0\/24\s+0\s+5\s+true\b/m);
      expect(out).toMatch(/^worker-172\s+4\s+172\.31\.192\.0\/20\s+0\s+5\s+true\b/m);
      expect(out).toMatch(/^worker-192\s+4\s+192\.168\.0\.0\/24\s+0\s+5\s+true\b/m);
    });

    it("gives each DaemonSet pod eth0 from its node's eth0 pool and net1 from its node's eth1 pool", async () => {
      await j.kubectl(['create', '-f', '-'], { input: app.manifest });
      pods = await j.runningPods(app.selector, app.replicas);
      expect(pods.map((p) => p.spec.nodeName)).toEqual(['master', 'worker']);
      for (const pod of pods) {
        const node = pod.spec.nodeName as keyof typeof POOLS;
        const want = POOLS[node];
        const eth0 = await podAddresses(j, pod, 'eth0');
        const net1 = await podAddresses(j, pod, 'net1');
        expect(eth0.v4).toHaveLength(1);
        expect(net1.v4).toHaveLength(1);
        const [eth0IP, eth0Prefix] = (eth0.v4[0] ?? '').split('/');
        const [net1IP, net1Prefix] = (net1.v4[0] ?? '').split('/');
        expect(inRange(eth0IP ?? '', want.eth0[1], want.eth0[2])).toBe(true);
        expect(Number(eth0Prefix)).toBe(want.eth0[3]);
        expect(inRange(net1IP ?? '', want.net1[1], want.net1[2])).toBe(true);
        expect(Number(net1Prefix)).toBe(want.net1[3]);
        // the pod IP Kubernetes shows is the default network's (eth0)
        expect(pod.status.podIP).toBe(eth0IP);
        ips.set(pod.metadata.name, { eth0: eth0IP ?? '', net1: net1IP ?? '' });

        const ep = await endpointOf(j, pod);
        expect(ep.status?.current?.node).toBe(node);
        const entries = [...(ep.status?.current?.ips ?? [])].sort((a, b) =>
          a.interface.localeCompare(b.interface),
        );
        expect(entries).toEqual([
          expect.objectContaining<Partial<EndpointIPView>>({
            interface: 'eth0',
            ipv4: eth0.v4[0],
            ipv4Pool: want.eth0[0],
          }),
          expect.objectContaining<Partial<EndpointIPView>>({
            interface: 'net1',
            ipv4: net1.v4[0],
            ipv4Pool: want.net1[0],
          }),
        ]);
      }
    });

    it('accounts one IP in each of the four pools', async () => {
      const out = await j.kubectl(['get', 'spiderippool', '--no-headers']);
      for (const name of POOL_NAMES)
        expect(out).toMatch(new RegExp(`^${name}\\s+4\\s+\\S+\\s+1\\s+5\\s+true\\b`, 'm'));
    });

    it('pings pod to pod on both NICs', async () => {
      const [a, b] = pods as [PodView, PodView];
      const ipsOf = (p: PodView) => ips.get(p.metadata.name) ?? { eth0: '', net1: '' };
      for (const [from, to] of [
        [a, b],
        [b, a],
      ] as const) {
        expect(await pingFrom(j, from, ipsOf(to).eth0)).toContain('2 received');
        expect(await pingFrom(j, from, ipsOf(to).net1)).toContain('2 received');
      }
    });

    it('returns all four IPs and removes both SpiderEndpoints when the DaemonSet is deleted', async () => {
      await j.kubectl(['delete', 'daemonset', 'test-app-1', '--wait=false']);
      const pools = await waitAllReleased(j, POOL_NAMES);
      for (const p of pools) expect(JSON.parse(p.status?.allocatedIPs ?? '{}')).toEqual({});
    });
  },
);
