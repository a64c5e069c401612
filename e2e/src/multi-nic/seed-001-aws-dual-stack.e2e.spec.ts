/**
 * Seed 001 (Running On AWS) as a local-cluster journey: per-node IPv4 + IPv6 default pools on one host NIC, a
 * Deployment that names no pool, dual-stack pods that reach each other through the (VPC) router.
 *
 * What differs from the guide, and why:
 * - The guide's ipvlan SpiderMultusConfig `kube-system/ipvlan-ens5` (001-1.yaml, master `ens5`) is applied as a
 *   `cniType: custom` SMC of the same name: the bridge plugin on the `ens5` zone bridge with `ipam: {type:
 *   spiderpool}` (this kernel has no ipvlan).
 * - Node names, subnets, gateways and the four pools are the guide's, unchanged (001-2…001-5.yaml: `master` on
 *   172.31.16.0/20 + 2406:da1e:c4:ed01::/64, `worker1` on 172.31.32.0/24 + 2406:da1e:c4:ed02::/64). All four subnets
 *   share the one `ens5` segment; their gateways sit on the router netns' link (IPv6 forwarding on there only), so
 *   pod-to-pod traffic crosses the router as it crosses the VPC router (IPv4: one hop, ttl 63).
 * - The app is the guide's `nginx-lb` Deployment as written. Host pings, ClusterIP, NAT egress and the load balancer
 *   part are out of scope (no host addresses, no kube-proxy, no cloud).
 */
import { seed001Scenario } from '@spiderpool/local-cluster';
import { localClusterSkip, type PodView } from '../support/local-cluster.gate.js';
import { inRange, journey, seedWorkload } from '../support/journey.js';
import { spiderpoolCluster } from '../support/spiderpool-cluster.js';
import {
  applyScenarioMultusConfigs,
  endpointOf,
  inRange6,
  pingFrom,
  podAddresses,
  waitAllReleased,
} from '../support/multi-nic.steps.js';

const d = localClusterSkip() ? describe.skip : describe;

/** The guide's pools per node: [pool, first, last, prefix] for IPv4 and IPv6. */
const POOLS = {
  master: {
    v4: ['master-v4', '172.31.28.16', '172.31.28.31', 20],
    v6: ['master-v6', '2406:da1e:c4:ed01:c57d::0', '2406:da1e:c4:ed01:c57d::f', 64],
  },
  worker1: {
    v4: ['worker1-v4', '172.31.32.176', '172.31.32.191', 24],
    v6: ['worker1-v6', '2406:da1e:c4:ed02:7a2e::0', '2406:da1e:c4:ed02:7a2e::f', 64],
  },
} as const;
const POOL_NAMES = ['master-v4', 'master-v6', 'worker1-v4', 'worker1-v6'];

interface DualStackPodView extends PodView {
  status: PodView['status'] & { podIPs?: { ip: string }[] };
}

d(
  'multi-NIC (seed 001, AWS): per-node IPv4 + IPv6 default pools, Deployment without pool annotations',
  () => {
    const j = journey('seed 001 + spiderpool', spiderpoolCluster(seed001Scenario), {
      startTimeoutMs: 600_000,
    });
    const app = seedWorkload(seed001Scenario);
    let pods: DualStackPodView[] = [];
    const addrs = new Map<string, { v4: string; v6: string }>();
    const addrsOf = (p: PodView) => addrs.get(p.metadata.name) ?? { v4: '', v6: '' };

    it('renders kube-system/ipvlan-ens5 from its SpiderMultusConfig', async () => {
      await applyScenarioMultusConfigs(j, seed001Scenario);
      expect(
        await j.kubectl([
          'get',
          'network-attachment-definitions.k8s.cni.cncf.io',
          '-n',
          'kube-system',
          '--no-headers',
        ]),
      ).toMatch(/^ipvlan-ens5\s/m);
    });

    it("creates the guide's IPv4 and IPv6 pools per node", async () => {
      await j.applySeed(...app.fixtures);
      const out = await j.kubectl(['get', 'spiderippool', '--no-headers']);
      expect(out).toMatch(/^master-v4\s+4\s+172\.31\.16\.0\/20\s+0\s+16\s+true\b/m);
      expect(out).toMatch(/^master-v6\s+6\s+2406:da1e:c4:ed01::\/64\s+0\s+16\s+true\b/m);
      expect(out).toMatch(/^worker1-v4\s+4\s+172\.31\.32\.0\/24\s+0\s+16\s+true\b/m);
      expect(out).toMatch(/^worker1-v6\s+6\s+2406:da1e:c4:ed02::\/64\s+0\s+16\s+true\b/m);
    });

    it("gives each pod one IPv4 and one IPv6 address from its node's pools", async () => {
      await j.kubectl(['create', '-f', '-'], { input: app.manifest });
      pods = (await j.runningPods(app.selector, app.replicas)) as DualStackPodView[];
      expect(pods.map((p) => p.spec.nodeName)).toEqual(['master', 'worker1']);
      for (const pod of pods) {
        const node = pod.spec.nodeName as keyof typeof POOLS;
        const want = POOLS[node];
        const eth0 = await podAddresses(j, pod, 'eth0');
        expect(eth0.v4).toHaveLength(1);
        expect(eth0.v6).toHaveLength(1);
        const [v4, v4Prefix] = (eth0.v4[0] ?? '').split('/');
        const [v6, v6Prefix] = (eth0.v6[0] ?? '').split('/');
        expect(inRange(v4 ?? '', want.v4[1], want.v4[2])).toBe(true);
        expect(Number(v4Prefix)).toBe(want.v4[3]);
        expect(inRange6(v6 ?? '', want.v6[1], want.v6[2])).toBe(true);
        expect(Number(v6Prefix)).toBe(want.v6[3]);
        addrs.set(pod.metadata.name, { v4: v4 ?? '', v6: v6 ?? '' });
        // Kubernetes shows both families
        expect((pod.status.podIPs ?? []).map((p) => p.ip).sort()).toEqual([v4, v6].sort());

        const ep = await endpointOf(j, pod);
        expect(ep.status?.current?.ips).toEqual([
          expect.objectContaining({
            interface: 'eth0',
            ipv4: eth0.v4[0],
            ipv4Pool: want.v4[0],
            ipv6: eth0.v6[0],
            ipv6Pool: want.v6[0],
          }),
        ]);
      }
    });

    it('accounts one IP in each of the four pools', async () => {
      const out = await j.kubectl(['get', 'spiderippool', '--no-headers']);
      for (const name of POOL_NAMES)
        expect(out).toMatch(new RegExp(`^${name}\\s+[46]\\s+\\S+\\s+1\\s+16\\s+true\\b`, 'm'));
    });

    it('pings across the nodes over IPv4 and with ping -6 over IPv6, through the router', async () => {
      const [a, b] = pods as [PodView, PodView];
      for (const [from, to] of [
        [a, b],
        [b, a],
      ] as const) {
        const v4 = await pingFrom(j, from, addrsOf(to).v4);
        expect(v4).toContain('2 received');
        expect(v4).toContain('ttl=63');
        // no hop count over IPv6: Linux has no switch against IPv6 redirects, so after the first packet the router may
        // point the pods at each other on the shared segment
        expect(await pingFrom(j, from, addrsOf(to).v6)).toContain('2 received');
      }
    });

    it('returns every IPv4 and IPv6 address when the Deployment is deleted', async () => {
      await j.kubectl(['delete', 'deployment', 'nginx-lb', '--wait=false']);
      const pools = await waitAllReleased(j, POOL_NAMES);
      for (const p of pools) expect(JSON.parse(p.status?.allocatedIPs ?? '{}')).toEqual({});
    });
  },
);
