import type { MultusConfigSpec, Scenario } from '@spiderpool/local-cluster';
import { waitFor } from '@spiderpool/testing';
import type { PodView } from './local-cluster.gate.js';
import type { Journey } from './journey.js';

/** What `ip -json addr show` prints, reduced to what the journeys read. */
interface IpAddrView {
  ifname: string;
  addr_info: { family: 'inet' | 'inet6'; local: string; prefixlen: number; scope: string }[];
}

/** The global-scope addresses (`ip/prefix`) of `ifName` inside a pod's network namespace. */
export async function podAddresses(
  j: Journey,
  pod: PodView,
  ifName: string,
): Promise<{ v4: string[]; v6: string[] }> {
  const r = await j
    .cluster()
    .execInPod(pod.metadata.namespace, pod.metadata.name, ['ip', '-json', 'addr', 'show', 'dev', ifName]);
  if (r.exitCode !== 0) throw new Error(`ip addr show ${ifName} in ${pod.metadata.name}: ${r.stderr}`);
  const links = JSON.parse(r.stdout) as IpAddrView[];
  const global = (links[0]?.addr_info ?? []).filter((a) => a.scope === 'global');
  const pick = (family: 'inet' | 'inet6') =>
    global.filter((a) => a.family === family).map((a) => `${a.local}/${a.prefixlen}`);
  return { v4: pick('inet'), v6: pick('inet6') };
}

/** `ping` (`-6` for an IPv6 target) with 2 probes from inside `from`'s netns; the output (throws on failure). */
export async function pingFrom(j: Journey, from: PodView, target: string): Promise<string> {
  const argv = ['ping', ...(target.includes(':') ? ['-6'] : []), '-c', '2', '-W', '2', target];
  const r = await j.cluster().execInPod(from.metadata.namespace, from.metadata.name, argv);
  return `${r.stdout}${r.stderr}`;
}

export interface EndpointIPView {
  interface: string;
  ipv4?: string;
  ipv4Pool?: string;
  ipv6?: string;
  ipv6Pool?: string;
}

export interface EndpointView {
  metadata: { name: string };
  status?: { current?: { node?: string; ips?: EndpointIPView[] } };
}

export interface PoolView {
  metadata: { name: string };
  status?: { allocatedIPCount?: number; totalIPCount?: number; allocatedIPs?: string };
}

/** The SpiderEndpoint of a pod (same namespace/name). */
export async function endpointOf(j: Journey, pod: PodView): Promise<EndpointView> {
  return j.kubectlJson<EndpointView>([
    'get',
    'spiderendpoints',
    '-n',
    pod.metadata.namespace,
    pod.metadata.name,
  ]);
}

/** Applies each of the scenario's SpiderMultusConfigs (bridge stand-in + our IPAM) and waits for its NAD. */
export async function applyScenarioMultusConfigs(j: Journey, scenario: Scenario): Promise<void> {
  for (const spec of scenario.multusConfigs ?? ([] as MultusConfigSpec[])) {
    await j.apply(j.cluster().multusConfig(spec));
    await waitFor(
      () =>
        j
          .kubectlJson<{ spec: { config: string } }>([
            'get',
            'network-attachment-definitions.k8s.cni.cncf.io',
            '-n',
            spec.namespace,
            spec.name,
          ])
          .catch(() => undefined),
      { timeoutMs: 60_000, intervalMs: 250, description: `NAD ${spec.namespace}/${spec.name}` },
    );
  }
}

/** Waits until every named pool has `allocatedIPCount` 0 and no SpiderEndpoint is left. */
export async function waitAllReleased(j: Journey, pools: string[]): Promise<PoolView[]> {
  return waitFor(
    async () => {
      const [all, eps] = await Promise.all([
        j.kubectlJson<{ items: PoolView[] }>(['get', 'spiderippools']),
        j.kubectlJson<{ items: unknown[] }>(['get', 'spiderendpoints', '-A']),
      ]);
      const mine = all.items.filter((p) => pools.includes(p.metadata.name));
      return mine.length === pools.length &&
        mine.every((p) => (p.status?.allocatedIPCount ?? 0) === 0) &&
        eps.items.length === 0
        ? mine
        : undefined;
    },
    {
      timeoutMs: 120_000,
      intervalMs: 1_000,
      description: `pools ${pools.join(',')} released, no SpiderEndpoints`,
    },
  );
}

/** An IPv6 address as a 128-bit integer (`::` expanded; no embedded IPv4). */
export function ipv6ToBigInt(ip: string): bigint {
  const [head = '', tail] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) throw new Error(`not an IPv6 address: ${ip}`);
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** Is the IPv6 `ip` within `from`–`to` (inclusive)? */
export function inRange6(ip: string, from: string, to: string): boolean {
  const v = ipv6ToBigInt(ip);
  return v >= ipv6ToBigInt(from) && v <= ipv6ToBigInt(to);
}
