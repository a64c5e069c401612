import { z } from 'zod';
import { InvalidTopologyError } from './errors.js';

const ipv4 = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, 'an IPv4 address');
const cidr4 = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'an IPv4 CIDR');
const ipv6 = z.string().regex(/^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/, 'an IPv6 address');
const cidr6 = z.string().regex(/^[0-9a-fA-F:]*:[0-9a-fA-F:]*\/\d{1,3}$/, 'an IPv6 CIDR');

/** A further subnet sharing a zone's segment (IPv4 or IPv6), its gateway also on the zone's router link. */
export const extraSubnetSchema = z.union([
  z.object({ subnet: cidr4, gateway: ipv4 }),
  z.object({ subnet: cidr6, gateway: ipv6 }),
]);
export type ExtraSubnet = z.infer<typeof extraSubnetSchema>;

/** One underlay zone: a subnet reachable through one gateway (the router netns carries the gateway address). */
export const zoneSchema = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
  subnet: cidr4,
  gateway: ipv4,
  /** Optional host-local allocation range inside the subnet (default: the whole subnet minus the gateway). */
  rangeStart: ipv4.optional(),
  rangeEnd: ipv4.optional(),
  /**
   * Further subnets on the same segment, each with its gateway on the router link too: an IPv6 /64 (dual stack),
   * or a second IPv4 subnet (e.g. one per node, as in a cloud VPC). Our IPAM's pools use them; host-local does not.
   */
  extraSubnets: z.array(extraSubnetSchema).optional(),
});
export type Zone = z.infer<typeof zoneSchema>;

export const simulatedNodeSchema = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/),
  zone: z.string(),
  labels: z.record(z.string(), z.string()).default({}),
  /** Reported as the Node's InternalIP (informational; never configured on a host interface). */
  internalIP: ipv4.optional(),
});
export type SimulatedNode = z.input<typeof simulatedNodeSchema>;
export type ResolvedNode = z.output<typeof simulatedNodeSchema> & { zoneIndex: number; internalIP: string };

export const topologySchema = z.object({
  zones: z.array(zoneSchema).min(1),
  nodes: z.array(simulatedNodeSchema).min(1),
});
export type TopologyInput = z.input<typeof topologySchema>;

export function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function inSubnet(ip: string, cidr: string): boolean {
  const [net = '', bitsText = '32'] = cidr.split('/');
  const bits = Number(bitsText);
  const size = 2 ** (32 - bits);
  const base = Math.floor(ipv4ToInt(net) / size) * size;
  const value = ipv4ToInt(ip);
  return value >= base && value < base + size;
}

/** The zone's gateway addresses (`ip/len`) for its router link: the primary one first, then the extra subnets'. */
export function zoneGatewayAddresses(zone: Zone): string[] {
  return [zone, ...(zone.extraSubnets ?? [])].map((s) => `${s.gateway}/${prefixLength(s.subnet)}`);
}

/** Whether any zone carries an IPv6 subnet (the router then forwards IPv6 too). */
export function hasIPv6(zones: readonly Zone[]): boolean {
  return zones.some((z) => (z.extraSubnets ?? []).some((s) => s.subnet.includes(':')));
}

export function prefixLength(cidr: string): number {
  return Number(cidr.split('/')[1]);
}

/**
 * Validates a topology and resolves each node's zone index and InternalIP (default: the last usable addresses of the
 * zone subnet, counting down, so they do not collide with host-local's ascending allocation).
 */
export function resolveTopology(input: TopologyInput): { zones: Zone[]; nodes: ResolvedNode[] } {
  const parsed = topologySchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidTopologyError(`invalid local-cluster topology: ${z.prettifyError(parsed.error)}`);
  }
  const { zones, nodes } = parsed.data;
  const zoneNames = new Set<string>();
  for (const zone of zones) {
    if (zoneNames.has(zone.name)) throw new InvalidTopologyError(`duplicate zone '${zone.name}'`);
    zoneNames.add(zone.name);
    for (const ip of [zone.gateway, zone.rangeStart, zone.rangeEnd]) {
      if (ip !== undefined && !inSubnet(ip, zone.subnet)) {
        throw new InvalidTopologyError(`zone '${zone.name}': ${ip} is outside ${zone.subnet}`);
      }
    }
    for (const extra of zone.extraSubnets ?? []) {
      if (!extra.subnet.includes(':') && !inSubnet(extra.gateway, extra.subnet)) {
        throw new InvalidTopologyError(`zone '${zone.name}': ${extra.gateway} is outside ${extra.subnet}`);
      }
    }
  }
  const nodeNames = new Set<string>();
  const perZone = new Map<number, number>();
  const resolved = nodes.map((node) => {
    if (nodeNames.has(node.name)) throw new InvalidTopologyError(`duplicate node '${node.name}'`);
    nodeNames.add(node.name);
    const zoneIndex = zones.findIndex((z) => z.name === node.zone);
    const zone = zones[zoneIndex];
    if (!zone) throw new InvalidTopologyError(`node '${node.name}' names unknown zone '${node.zone}'`);
    const nth = perZone.get(zoneIndex) ?? 0;
    perZone.set(zoneIndex, nth + 1);
    const [net = '', bits = '32'] = zone.subnet.split('/');
    const broadcast = ipv4ToInt(net) + 2 ** (32 - Number(bits)) - 1;
    const internalIP = node.internalIP ?? intToIpv4(broadcast - 1 - nth);
    return { ...node, zoneIndex, internalIP };
  });
  return { zones, nodes: resolved };
}
