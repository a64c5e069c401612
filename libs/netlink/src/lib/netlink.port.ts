import type { IpFamily } from './ip-prefix.js';

/**
 * Where an operation runs. `netns` is a path to a network-namespace file (`/var/run/netns/<name>`,
 * `/proc/<pid>/ns/net`, …); `undefined` means the namespace of the calling process.
 */
export interface NetnsTarget {
  readonly netns?: string | undefined;
}

/** The calling process's own namespace (the host namespace for the CNI plugins and the agent). */
export const CURRENT_NETNS: NetnsTarget = Object.freeze({});

export const MAIN_TABLE = 254;
export const LOCAL_TABLE = 255;
export const DEFAULT_TABLE = 253;

export type { IpFamily };

// ---------------------------------------------------------------- links

interface LinkCommon {
  readonly name: string;
  readonly mtu?: number;
  readonly mac?: string;
  readonly txQueueLen?: number;
}

export interface VethSpec extends LinkCommon {
  readonly kind: 'veth';
  readonly peer: {
    readonly name: string;
    readonly mtu?: number;
    readonly mac?: string;
    /** Namespace path where the peer end is created; the target namespace when omitted. */
    readonly netns?: string;
  };
}
export interface BridgeSpec extends LinkCommon {
  readonly kind: 'bridge';
}
export interface DummySpec extends LinkCommon {
  readonly kind: 'dummy';
}
export interface VlanSpec extends LinkCommon {
  readonly kind: 'vlan';
  readonly parent: string;
  readonly vlanId: number;
}
export interface MacvlanSpec extends LinkCommon {
  readonly kind: 'macvlan';
  readonly parent: string;
  readonly mode: 'bridge' | 'private' | 'vepa' | 'passthru';
}
export interface IpvlanSpec extends LinkCommon {
  readonly kind: 'ipvlan';
  readonly parent: string;
  readonly mode: 'l2' | 'l3' | 'l3s';
}
export interface BondSpec extends LinkCommon {
  readonly kind: 'bond';
  /** 0 balance-rr … 6 balance-alb. */
  readonly mode: number;
  /** iproute2 bond option names (`miimon`, `xmit_hash_policy`, `arp_ip_target` …); arrays are comma-joined. */
  readonly options?: Readonly<Record<string, string | number | readonly string[]>>;
}

export type LinkSpec = VethSpec | BridgeSpec | DummySpec | VlanSpec | MacvlanSpec | IpvlanSpec | BondSpec;
export type LinkKind = LinkSpec['kind'];

export interface Link {
  readonly index: number;
  readonly name: string;
  /** `veth`, `bridge`, … ; undefined for kinds without rtnl link info (e.g. `lo`, physical NICs). */
  readonly kind: string | undefined;
  /** Kernel flag names as `ip` prints them: `UP`, `BROADCAST`, `MULTICAST`, `LOWER_UP`, `NO-CARRIER`, … */
  readonly flags: readonly string[];
  /** Administratively up (`UP` flag). */
  readonly adminUp: boolean;
  /** `UP`, `DOWN`, `UNKNOWN`, `LOWERLAYERDOWN`, … */
  readonly operState: string;
  readonly mtu: number;
  readonly mac: string | undefined;
  readonly txQueueLen: number | undefined;
  /** Name of the master device (bridge/bond), if enslaved. */
  readonly master: string | undefined;
  /** IFLA_LINK: the veth peer's ifindex (possibly in another namespace), or the parent of a vlan/macvlan. */
  readonly peerIndex: number | undefined;
}

// ---------------------------------------------------------------- addresses

export interface AddressSpec {
  readonly dev: string;
  /** `ip/len` (host bits are the address); a bare IP means /32 or /128. */
  readonly cidr: string;
  /** IPv6 only: skip duplicate address detection. */
  readonly noDad?: boolean;
}

export interface Address {
  readonly dev: string;
  readonly family: IpFamily;
  readonly ip: string;
  readonly prefixLen: number;
  readonly cidr: string;
  /** `global`, `link`, `host`, … */
  readonly scope: string;
}

export interface AddressFilter {
  readonly dev?: string;
  readonly family?: IpFamily;
}

// ---------------------------------------------------------------- routes

export type RouteScope = 'universe' | 'link' | 'host';

export interface RouteSpec {
  /** Destination prefix; a bare IP is a host route; default route is `0.0.0.0/0` or `::/0`. */
  readonly dst: string;
  readonly via?: string;
  readonly dev?: string;
  /** Preferred source (IPv4 or IPv6; must be local). */
  readonly src?: string;
  /** Routing table number; `MAIN_TABLE` when omitted. */
  readonly table?: number;
  /** Default: `link` for IPv4 routes without a gateway, else `universe`. */
  readonly scope?: RouteScope;
  readonly metric?: number;
  readonly mtu?: number;
}

export interface Nexthop {
  readonly via: string | undefined;
  readonly dev: string | undefined;
  readonly weight: number | undefined;
}

export interface Route {
  readonly family: IpFamily;
  /** Always a network prefix in CIDR form (`0.0.0.0/0` for default). */
  readonly dst: string;
  readonly via: string | undefined;
  readonly dev: string | undefined;
  readonly src: string | undefined;
  readonly table: number;
  readonly scope: string;
  /** 0 when the kernel reports none (IPv4 default); IPv6 user routes default to 1024. */
  readonly metric: number;
  /** `kernel`, `boot`, `static`, … */
  readonly protocol: string;
  /** `unicast`, `local`, `broadcast`, … */
  readonly type: string;
  readonly mtu: number | undefined;
  /** Multipath routes only. */
  readonly nexthops: readonly Nexthop[] | undefined;
}

export interface RouteFilter {
  /** `MAIN_TABLE` when omitted. */
  readonly table?: number;
  readonly family?: IpFamily;
  readonly dev?: string;
}

export interface RouteLookup {
  readonly dst: string;
  readonly dev: string | undefined;
  readonly via: string | undefined;
  readonly src: string | undefined;
}

// ---------------------------------------------------------------- rules

export interface RuleSpec {
  /** Required when neither `from` nor `to` says it; defaults to 4. */
  readonly family?: IpFamily;
  /** Kernel-assigned (just below the first non-zero preference) when omitted. */
  readonly priority?: number;
  readonly table: number;
  /** Source prefix; bare IP = host prefix; omitted = all. */
  readonly from?: string;
  readonly to?: string;
  readonly fwmark?: number;
  readonly fwmask?: number;
}

export interface Rule {
  readonly family: IpFamily;
  readonly priority: number;
  readonly table: number;
  /** CIDR, or undefined for `all`. */
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly fwmark: number | undefined;
  readonly fwmask: number | undefined;
}

// ---------------------------------------------------------------- neighbours

export type NeighbourState = 'permanent' | 'reachable' | 'stale' | 'noarp';

export interface NeighbourSpec {
  readonly dev: string;
  readonly ip: string;
  readonly lladdr: string;
  /** `permanent` when omitted. */
  readonly state?: NeighbourState;
}

export interface Neighbour {
  readonly dev: string;
  readonly family: IpFamily;
  readonly ip: string;
  readonly lladdr: string | undefined;
  /** Lower-case NUD state names (`permanent`, `reachable`, `failed`, …). */
  readonly state: readonly string[];
}

export interface NeighbourFilter {
  readonly dev?: string;
  readonly family?: IpFamily;
}

// ---------------------------------------------------------------- the port

/**
 * Intent-level network configuration, always aimed at an explicit namespace (house style §17).
 *
 * Errors: `LinkNotFoundError`, `NetnsNotFoundError`, `NotFoundError` (other objects), `AlreadyExistsError`,
 * `LinkDownError`, `GatewayUnreachableError`, `InvalidArgumentError`, and `NetlinkCommandError` for the rest.
 */
export interface NetlinkPort {
  // links
  listLinks(at: NetnsTarget): Promise<Link[]>;
  getLink(name: string, at: NetnsTarget): Promise<Link>;
  findLink(name: string, at: NetnsTarget): Promise<Link | undefined>;
  createLink(spec: LinkSpec, at: NetnsTarget): Promise<Link>;
  /** Returns the existing link when one of the same kind has that name; `AlreadyExistsError` if another kind. */
  ensureLink(spec: LinkSpec, at: NetnsTarget): Promise<Link>;
  createVethPair(spec: Omit<VethSpec, 'kind'>, at: NetnsTarget): Promise<Link>;
  createBridge(spec: Omit<BridgeSpec, 'kind'>, at: NetnsTarget): Promise<Link>;
  /** Deleting one veth end deletes its peer as well. */
  deleteLink(name: string, at: NetnsTarget): Promise<void>;
  /** Moves a link into the namespace at `toNetns`; it arrives down and without addresses. */
  moveLinkToNetns(name: string, toNetns: string, at: NetnsTarget): Promise<void>;
  setLinkUp(name: string, at: NetnsTarget): Promise<void>;
  setLinkDown(name: string, at: NetnsTarget): Promise<void>;
  /** `master: undefined` releases the link from its master. */
  setLinkMaster(name: string, master: string | undefined, at: NetnsTarget): Promise<void>;
  setMtu(name: string, mtu: number, at: NetnsTarget): Promise<void>;
  setHardwareAddr(name: string, mac: string, at: NetnsTarget): Promise<void>;
  setTxQueueLen(name: string, qlen: number, at: NetnsTarget): Promise<void>;

  // addresses
  listAddresses(filter: AddressFilter, at: NetnsTarget): Promise<Address[]>;
  addAddress(spec: AddressSpec, at: NetnsTarget): Promise<void>;
  replaceAddress(spec: AddressSpec, at: NetnsTarget): Promise<void>;
  deleteAddress(spec: Pick<AddressSpec, 'dev' | 'cidr'>, at: NetnsTarget): Promise<void>;

  // routes
  listRoutes(filter: RouteFilter, at: NetnsTarget): Promise<Route[]>;
  addRoute(spec: RouteSpec, at: NetnsTarget): Promise<void>;
  replaceRoute(spec: RouteSpec, at: NetnsTarget): Promise<void>;
  /** Several replaces in one round trip; applied in order, stops at the first failure (earlier ones stay). */
  replaceRoutes(specs: readonly RouteSpec[], at: NetnsTarget): Promise<void>;
  /** Deletes the first route matching `dst` + `table` and whichever of `dev`/`via`/`metric` are given. */
  deleteRoute(spec: RouteSpec, at: NetnsTarget): Promise<void>;
  /** `ip route get`: the route the kernel would use (main-table policy applies). */
  getRouteTo(ip: string, at: NetnsTarget): Promise<RouteLookup>;

  // policy rules
  listRules(filter: { readonly family?: IpFamily }, at: NetnsTarget): Promise<Rule[]>;
  addRule(spec: RuleSpec, at: NetnsTarget): Promise<void>;
  /** Deletes the first (lowest-priority-number) rule matching the given selectors. */
  deleteRule(spec: RuleSpec, at: NetnsTarget): Promise<void>;

  // neighbours
  listNeighbours(filter: NeighbourFilter, at: NetnsTarget): Promise<Neighbour[]>;
  addNeighbour(spec: NeighbourSpec, at: NetnsTarget): Promise<void>;
  replaceNeighbour(spec: NeighbourSpec, at: NetnsTarget): Promise<void>;
  deleteNeighbour(spec: Pick<NeighbourSpec, 'dev' | 'ip'>, at: NetnsTarget): Promise<void>;

  // sysctls (`net.ipv4.conf.all.rp_filter` or `net/ipv4/conf/eth0.100/rp_filter`; use `/` when a name has dots)
  readSysctl(key: string, at: NetnsTarget): Promise<string>;
  writeSysctl(key: string, value: string | number, at: NetnsTarget): Promise<void>;
  /**
   * Makes the kernel announce the link's addresses (gratuitous ARP via `arp_notify`, unsolicited NA via
   * `ndisc_notify`) whenever it comes up or its MAC changes. Call before `setLinkUp`/`setHardwareAddr`.
   */
  enableAnnouncements(name: string, at: NetnsTarget): Promise<void>;

  // namespaces (host-level objects; no target)
  /** Creates a named namespace and returns its path `/var/run/netns/<name>`. */
  createNetns(name: string): Promise<string>;
  /** Accepts a name or a `/var/run/netns/<name>` path. */
  deleteNetns(nameOrPath: string): Promise<void>;
  netnsPathExists(path: string): Promise<boolean>;
}

/** DI token for the port (house style §15). */
export const NETLINK = Symbol('NETLINK');
