/**
 * ARP / NDP probing on a link inside a network namespace (spec `cni-and-agent.md` §1.6, §1.7): duplicate-address
 * detection, gateway reachability and announcements. Node has no raw sockets, so the implementation runs
 * tools through `inNetns` (docs/adr/0014-ip-conflict-detection.md).
 *
 * Errors: `ProbeToolMissingError` (names the Debian package), `LinkNotFoundError`, `LinkDownError`,
 * `NetnsNotFoundError`, `LinkNotReadyError` (IPv6 link-local not usable in time), `InvalidArgumentError`,
 * `NetlinkCommandError` for the rest. A conflict or an unreachable gateway is a result, not an error.
 */
export interface ProbeLink {
  /** Namespace path (`/var/run/netns/<n>`, `/proc/<pid>/ns/net`); undefined = the caller's namespace. */
  readonly netns?: string | undefined;
  /** The link to probe out of; must be up. It needs no IP address. */
  readonly ifName: string;
}

export interface AddressProbeSpec extends ProbeLink {
  /** The IPv4 or IPv6 address to check or announce (no prefix). */
  readonly ip: string;
}

export interface GatewayProbeSpec extends AddressProbeSpec {
  /** Same family as `ip`. */
  readonly gateway: string;
}

export type AddressConflictResult =
  | { readonly conflict: false }
  | { readonly conflict: true; /** lower-case MAC of the holder */ readonly mac: string };

export type GatewayProbeResult =
  | { readonly reachable: true; /** lower-case MAC of the gateway */ readonly mac: string }
  | { readonly reachable: false };

export interface NeighbourProbe {
  /** Does another node on the link answer for `ip`? (ARP probe from 0.0.0.0 / NS for `ip`.) */
  probeAddressConflict(spec: AddressProbeSpec): Promise<AddressConflictResult>;
  /** Does `gateway` answer an ARP request from `ip` / a Neighbour Solicitation? */
  probeGateway(spec: GatewayProbeSpec): Promise<GatewayProbeResult>;
  /** One gratuitous ARP (IPv4) or one Neighbour Solicitation carrying our MAC (IPv6) for `ip`. */
  announce(spec: AddressProbeSpec): Promise<void>;
}

/** DI token for the port (house style §15). */
export const NEIGHBOUR_PROBE = Symbol('NEIGHBOUR_PROBE');
