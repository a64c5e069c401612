import {
  AlreadyExistsError,
  GatewayUnreachableError,
  InvalidArgumentError,
  LinkDownError,
  LinkNotFoundError,
  NetnsNotFoundError,
  NotFoundError,
} from './errors.js';
import { isLinkLocal, networkOf, parseIp, prefixContains } from './ip-prefix.js';
import type { IpFamily, ParsedIp, ParsedPrefix } from './ip-prefix.js';
import { announceViaSysctls, netnsNameOf, sameKindOrThrow } from './port-semantics.js';
import {
  checkLinkName,
  checkMac,
  checkMtu,
  checkNetnsName,
  checkNetnsPath,
  checkU32,
  normaliseAddress,
  normaliseLinkSpec,
  normaliseNeighbour,
  normaliseRoute,
  normaliseRule,
  sysctlPath,
} from './netlink.schemas.js';
import type { NormalRoute, NormalRule } from './netlink.schemas.js';
import { DEFAULT_TABLE, LOCAL_TABLE, MAIN_TABLE } from './netlink.port.js';
import type {
  Address,
  AddressFilter,
  AddressSpec,
  BridgeSpec,
  Link,
  LinkSpec,
  Neighbour,
  NeighbourFilter,
  NeighbourSpec,
  NetlinkPort,
  NetnsTarget,
  Route,
  RouteFilter,
  RouteLookup,
  RouteSpec,
  Rule,
  RuleSpec,
  VethSpec,
} from './netlink.port.js';

interface FakeLink {
  index: number;
  name: string;
  kind: string | undefined;
  adminUp: boolean;
  mtu: number;
  mac: string;
  txQueueLen: number;
  master: FakeLink | undefined;
  peer: FakeLink | undefined;
  parent: FakeLink | undefined;
  ns: FakeNetns;
  sysctls: Map<string, string>;
}

interface FakeAddress {
  link: FakeLink;
  prefix: ParsedPrefix;
}

interface FakeRoute {
  family: IpFamily;
  dst: ParsedPrefix;
  via: ParsedIp | undefined;
  link: FakeLink;
  src: ParsedIp | undefined;
  table: number;
  scope: string;
  metric: number;
  protocol: string;
  mtu: number | undefined;
}

interface FakeNeighbour {
  link: FakeLink;
  ip: ParsedIp;
  lladdr: string;
  state: string;
}

interface FakeNetns {
  readonly path: string | undefined;
  links: FakeLink[];
  nextIndex: number;
  addresses: FakeAddress[];
  routes: FakeRoute[];
  rules: Rule[];
  neighbours: FakeNeighbour[];
  sysctls: Map<string, string>;
}

const V4_CONF: Readonly<Record<string, string>> = {
  rp_filter: '0',
  arp_notify: '0',
  forwarding: '0',
  accept_local: '0',
  proxy_arp: '0',
  arp_ignore: '0',
  arp_announce: '0',
  send_redirects: '1',
};
const V6_CONF: Readonly<Record<string, string>> = {
  disable_ipv6: '0',
  accept_ra: '1',
  forwarding: '0',
  ndisc_notify: '0',
  accept_dad: '1',
  autoconf: '1',
};

/**
 * In-memory `NetlinkPort` with the kernel's observable semantics for what the plugins use: per-namespace
 * links (veth pairs spanning namespaces, bridges, vlans …), addresses with their connected routes, numbered
 * route tables, policy rules with kernel-assigned priorities, neighbours and `/proc/sys/net` knobs. The shared
 * contract suite runs against this fake and against `Iproute2Netlink` on a real kernel, so they cannot drift.
 */
export class FakeNetlink implements NetlinkPort {
  private readonly current: FakeNetns = newNetns(undefined, { loopbackUp: true });
  private readonly namespaces = new Map<string, FakeNetns>();
  private macCounter = 0;

  /** Registers an arbitrary namespace path (e.g. `/proc/42/ns/net`), as a container runtime would create. */
  addNetns(path: string): string {
    checkNetnsPath(path);
    if (this.namespaces.has(path)) throw new AlreadyExistsError('netns', path);
    this.namespaces.set(path, newNetns(path, { loopbackUp: false }));
    return path;
  }

  // ------------------------------------------------------------ plumbing

  private ns(at: NetnsTarget): FakeNetns {
    if (at.netns === undefined) return this.current;
    const ns = this.namespaces.get(checkNetnsPath(at.netns));
    if (!ns) throw new NetnsNotFoundError(at.netns);
    return ns;
  }

  private link(ns: FakeNetns, name: string): FakeLink {
    const link = ns.links.find((l) => l.name === checkLinkName(name));
    if (!link) throw new LinkNotFoundError(name);
    return link;
  }

  private nextMac(): string {
    this.macCounter += 1;
    const n = this.macCounter;
    return ['02', 'fa', 'ce', (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]
      .map((b) => (typeof b === 'number' ? b.toString(16).padStart(2, '0') : b))
      .join(':');
  }

  // ------------------------------------------------------------ links

  async listLinks(at: NetnsTarget): Promise<Link[]> {
    const ns = this.ns(at);
    return [...ns.links].sort((a, b) => a.index - b.index).map(viewLink);
  }

  async getLink(name: string, at: NetnsTarget): Promise<Link> {
    return viewLink(this.link(this.ns(at), name));
  }

  async findLink(name: string, at: NetnsTarget): Promise<Link | undefined> {
    const ns = this.ns(at);
    const link = ns.links.find((l) => l.name === checkLinkName(name));
    return link && viewLink(link);
  }

  async createLink(input: LinkSpec, at: NetnsTarget): Promise<Link> {
    const spec = normaliseLinkSpec(input);
    const ns = this.ns(at);
    if (ns.links.some((l) => l.name === spec.name)) throw new AlreadyExistsError('link', spec.name);
    const base = (parent?: FakeLink): FakeLink => ({
      index: 0,
      name: spec.name,
      kind: spec.kind,
      adminUp: false,
      mtu: spec.mtu ?? parent?.mtu ?? 1500,
      mac: spec.mac ?? (spec.kind === 'vlan' && parent ? parent.mac : this.nextMac()),
      txQueueLen: spec.txQueueLen ?? 1000,
      master: undefined,
      peer: undefined,
      parent,
      ns,
      sysctls: new Map(),
    });
    switch (spec.kind) {
      case 'veth': {
        const peerNs = spec.peer.netns === undefined ? ns : this.ns({ netns: spec.peer.netns });
        if (
          peerNs.links.some((l) => l.name === spec.peer.name) ||
          (peerNs === ns && spec.peer.name === spec.name)
        ) {
          throw new AlreadyExistsError('link', spec.peer.name);
        }
        const link = base();
        const peer: FakeLink = {
          ...base(),
          name: spec.peer.name,
          mtu: spec.peer.mtu ?? 1500,
          mac: spec.peer.mac ?? this.nextMac(),
          ns: peerNs,
          sysctls: new Map(),
        };
        link.peer = peer;
        peer.peer = link;
        attach(ns, link);
        attach(peerNs, peer);
        break;
      }
      case 'vlan':
      case 'macvlan':
      case 'ipvlan':
        attach(ns, base(this.link(ns, spec.parent)));
        break;
      default:
        attach(ns, base());
    }
    return this.getLink(spec.name, at);
  }

  async ensureLink(spec: LinkSpec, at: NetnsTarget): Promise<Link> {
    const existing = await this.findLink(spec.name, at);
    return existing ? sameKindOrThrow(existing, spec) : this.createLink(spec, at);
  }

  createVethPair(spec: Omit<VethSpec, 'kind'>, at: NetnsTarget): Promise<Link> {
    return this.createLink({ ...spec, kind: 'veth' }, at);
  }

  createBridge(spec: Omit<BridgeSpec, 'kind'>, at: NetnsTarget): Promise<Link> {
    return this.createLink({ ...spec, kind: 'bridge' }, at);
  }

  async deleteLink(name: string, at: NetnsTarget): Promise<void> {
    this.destroy(this.link(this.ns(at), name));
  }

  private destroy(link: FakeLink): void {
    const ns = link.ns;
    if (!ns.links.includes(link)) return;
    detach(link);
    if (link.peer) this.destroy(link.peer);
    for (const l of ns.links.filter((x) => x.parent === link)) this.destroy(l);
    for (const l of ns.links.filter((x) => x.master === link)) l.master = undefined;
  }

  async moveLinkToNetns(name: string, toNetns: string, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const link = this.link(ns, name);
    const dest = this.ns({ netns: toNetns });
    if (dest === ns) return;
    if (dest.links.some((l) => l.name === link.name)) throw new AlreadyExistsError('link', link.name);
    detach(link);
    for (const l of ns.links.filter((x) => x.master === link)) l.master = undefined;
    link.adminUp = false;
    link.master = undefined;
    link.sysctls = new Map();
    const keep = dest.links.some((l) => l.index === link.index) ? undefined : link.index;
    link.ns = dest;
    attach(dest, link, keep);
  }

  async setLinkUp(name: string, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const link = this.link(ns, name);
    if (link.adminUp) return;
    link.adminUp = true;
    for (const a of ns.addresses.filter((x) => x.link === link)) addConnectedRoute(ns, a);
  }

  async setLinkDown(name: string, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const link = this.link(ns, name);
    link.adminUp = false;
    ns.routes = ns.routes.filter((r) => r.link !== link);
    ns.neighbours = ns.neighbours.filter((n) => n.link !== link || n.state === 'permanent');
  }

  async setLinkMaster(name: string, master: string | undefined, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const link = this.link(ns, name);
    if (master === undefined) {
      link.master = undefined;
      return;
    }
    const m = this.link(ns, master);
    if (m.kind !== 'bridge' && m.kind !== 'bond')
      throw new InvalidArgumentError('master', `${master} cannot enslave`);
    link.master = m;
  }

  async setMtu(name: string, mtu: number, at: NetnsTarget): Promise<void> {
    this.link(this.ns(at), name).mtu = checkMtu(mtu);
  }

  async setHardwareAddr(name: string, mac: string, at: NetnsTarget): Promise<void> {
    this.link(this.ns(at), name).mac = checkMac(mac);
  }

  async setTxQueueLen(name: string, qlen: number, at: NetnsTarget): Promise<void> {
    this.link(this.ns(at), name).txQueueLen = checkU32(qlen, 'txQueueLen');
  }

  // ------------------------------------------------------------ addresses

  async listAddresses(filter: AddressFilter, at: NetnsTarget): Promise<Address[]> {
    const ns = this.ns(at);
    const dev = filter.dev === undefined ? undefined : this.link(ns, filter.dev);
    return ns.addresses
      .filter(
        (a) =>
          (dev === undefined || a.link === dev) && (filter.family ?? a.prefix.family) === a.prefix.family,
      )
      .sort((a, b) => a.link.index - b.link.index || a.prefix.family - b.prefix.family)
      .map((a) => ({
        dev: a.link.name,
        family: a.prefix.family,
        ip: a.prefix.text,
        prefixLen: a.prefix.prefixLen,
        cidr: a.prefix.cidr,
        scope: addressScope(a.prefix),
      }));
  }

  async addAddress(spec: AddressSpec, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const a = normaliseAddress(spec);
    const link = this.link(ns, a.dev);
    if (findAddress(ns, link, a.prefix))
      throw new AlreadyExistsError('address', `${a.prefix.cidr} dev ${a.dev}`);
    const added = { link, prefix: a.prefix };
    ns.addresses.push(added);
    if (link.adminUp) addConnectedRoute(ns, added);
  }

  async replaceAddress(spec: AddressSpec, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const a = normaliseAddress(spec);
    if (!findAddress(ns, this.link(ns, a.dev), a.prefix)) await this.addAddress(spec, at);
  }

  async deleteAddress(spec: Pick<AddressSpec, 'dev' | 'cidr'>, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const a = normaliseAddress(spec);
    const link = this.link(ns, a.dev);
    const found = ns.addresses.find(
      (x) =>
        x.link === link && x.prefix.value === a.prefix.value && x.prefix.prefixLen === a.prefix.prefixLen,
    );
    if (!found) throw new NotFoundError('address', `${a.prefix.cidr} dev ${a.dev}`);
    ns.addresses = ns.addresses.filter((x) => x !== found);
    const net = networkOf(found.prefix);
    const stillCovered = ns.addresses.some((x) => x.link === link && networkOf(x.prefix) === net);
    if (!stillCovered) {
      ns.routes = ns.routes.filter(
        (r) => !(r.protocol === 'kernel' && r.link === link && r.dst.cidr === net),
      );
    }
  }

  // ------------------------------------------------------------ routes

  async listRoutes(filter: RouteFilter, at: NetnsTarget): Promise<Route[]> {
    const ns = this.ns(at);
    const table = filter.table ?? MAIN_TABLE;
    return ns.routes
      .filter(
        (r) =>
          r.table === table &&
          (filter.family ?? r.family) === r.family &&
          (filter.dev === undefined || r.link.name === filter.dev),
      )
      .sort((a, b) => a.family - b.family)
      .map(viewRoute);
  }

  async addRoute(spec: RouteSpec, at: NetnsTarget): Promise<void> {
    this.putRoute(this.ns(at), normaliseRoute(spec), 'add');
  }

  async replaceRoute(spec: RouteSpec, at: NetnsTarget): Promise<void> {
    this.putRoute(this.ns(at), normaliseRoute(spec), 'replace');
  }

  async replaceRoutes(specs: readonly RouteSpec[], at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const routes = specs.map((s) => normaliseRoute(s));
    for (const r of routes) this.putRoute(ns, r, 'replace');
  }

  private putRoute(ns: FakeNetns, r: NormalRoute, op: 'add' | 'replace'): void {
    let link = r.dev === undefined ? undefined : this.link(ns, r.dev);
    if (link && !link.adminUp) throw new LinkDownError(link.name);
    if (r.via) {
      const via = r.via;
      const onLink = (l: FakeLink): boolean =>
        ns.addresses.some((a) => a.link === l && prefixContains(a.prefix, via)) ||
        ns.routes.some(
          (x) =>
            x.link === l &&
            x.via === undefined &&
            (x.table === MAIN_TABLE || x.table === r.table) &&
            prefixContains(x.dst, via),
        );
      if (link && !onLink(link)) throw new GatewayUnreachableError(via.text);
      link ??= ns.links.find((l) => l.adminUp && onLink(l));
      if (!link) throw new GatewayUnreachableError(via.text);
    }
    if (!link) throw new InvalidArgumentError('route', 'needs a device');
    if (r.src && !ns.addresses.some((a) => a.prefix.value === r.src?.value && a.prefix.family === r.family)) {
      throw new InvalidArgumentError('route', `invalid prefsrc ${r.src.text}: not a local address`);
    }
    const route: FakeRoute = {
      family: r.family,
      dst: r.dstPrefix,
      via: r.via,
      link,
      src: r.src,
      table: r.table,
      scope: r.scope,
      metric: r.metric ?? (r.family === 6 ? 1024 : 0),
      protocol: 'boot',
      mtu: r.mtu,
    };
    const i = ns.routes.findIndex(
      (x) => x.table === route.table && x.dst.cidr === route.dst.cidr && x.metric === route.metric,
    );
    if (i >= 0 && op === 'add') throw new AlreadyExistsError('route', `${r.dst} table ${r.table}`);
    if (i >= 0) ns.routes[i] = route;
    else ns.routes.push(route);
  }

  async deleteRoute(spec: RouteSpec, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const r = normaliseRoute(spec);
    const link = r.dev === undefined ? undefined : this.link(ns, r.dev);
    const found = ns.routes.find(
      (x) =>
        x.table === r.table &&
        x.dst.cidr === r.dst &&
        (link === undefined || x.link === link) &&
        (r.via === undefined || x.via?.value === r.via.value) &&
        (r.metric === undefined || x.metric === r.metric) &&
        (spec.scope === undefined || x.scope === spec.scope),
    );
    if (!found) throw new NotFoundError('route', `${r.dst} table ${r.table}`);
    ns.routes = ns.routes.filter((x) => x !== found);
  }

  async getRouteTo(ipText: string, at: NetnsTarget): Promise<RouteLookup> {
    const ns = this.ns(at);
    const ip = parseIp(ipText);
    if (!ip) throw new InvalidArgumentError('ip', `not an IP address: ${ipText}`);
    if (ns.addresses.some((a) => a.prefix.value === ip.value && a.prefix.family === ip.family)) {
      return { dst: ip.text, dev: 'lo', via: undefined, src: ip.text };
    }
    const best = ns.routes
      .filter((r) => r.table === MAIN_TABLE && r.family === ip.family && prefixContains(r.dst, ip))
      .sort((a, b) => b.dst.prefixLen - a.dst.prefixLen || a.metric - b.metric)[0];
    if (!best) throw new NotFoundError('route', ip.text);
    const src =
      best.src?.text ??
      ns.addresses.find(
        (a) => a.link === best.link && a.prefix.family === ip.family && !isLinkLocal(a.prefix),
      )?.prefix.text;
    return { dst: ip.text, dev: best.link.name, via: best.via?.text, src };
  }

  // ------------------------------------------------------------ rules

  async listRules(filter: { readonly family?: IpFamily }, at: NetnsTarget): Promise<Rule[]> {
    const ns = this.ns(at);
    return ns.rules
      .filter((r) => (filter.family ?? r.family) === r.family)
      .sort((a, b) => a.family - b.family);
  }

  async addRule(spec: RuleSpec, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const n = normaliseRule(spec);
    const same = ns.rules.filter((r) => r.family === n.family);
    const rule = viewRule(n, n.priority ?? defaultRulePref(same));
    if (same.some((r) => sameRule(r, rule))) throw new AlreadyExistsError('rule', describeRule(rule));
    const after = ns.rules.findIndex((r) => r.family === n.family && r.priority > rule.priority);
    if (after < 0) ns.rules.push(rule);
    else ns.rules.splice(after, 0, rule);
  }

  async deleteRule(spec: RuleSpec, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const n = normaliseRule(spec);
    const found = ns.rules.find((r) => r.family === n.family && matchesRule(r, n));
    if (!found) throw new NotFoundError('rule', describeRule(viewRule(n, n.priority ?? 0)));
    ns.rules = ns.rules.filter((r) => r !== found);
  }

  // ------------------------------------------------------------ neighbours

  async listNeighbours(filter: NeighbourFilter, at: NetnsTarget): Promise<Neighbour[]> {
    const ns = this.ns(at);
    return ns.neighbours
      .filter(
        (n) =>
          (filter.dev === undefined || n.link.name === filter.dev) &&
          (filter.family ?? n.ip.family) === n.ip.family,
      )
      .map((n) => ({
        dev: n.link.name,
        family: n.ip.family,
        ip: n.ip.text,
        lladdr: n.lladdr,
        state: [n.state],
      }));
  }

  async addNeighbour(spec: NeighbourSpec, at: NetnsTarget): Promise<void> {
    this.putNeighbour(spec, at, 'add');
  }

  async replaceNeighbour(spec: NeighbourSpec, at: NetnsTarget): Promise<void> {
    this.putNeighbour(spec, at, 'replace');
  }

  private putNeighbour(spec: NeighbourSpec, at: NetnsTarget, op: 'add' | 'replace'): void {
    const ns = this.ns(at);
    const n = normaliseNeighbour(spec);
    const link = this.link(ns, n.dev);
    if (n.lladdr === undefined) throw new InvalidArgumentError('lladdr', 'required');
    const entry: FakeNeighbour = { link, ip: n.ip, lladdr: n.lladdr, state: n.state };
    const i = ns.neighbours.findIndex(
      (x) => x.link === link && x.ip.value === n.ip.value && x.ip.family === n.ip.family,
    );
    if (i >= 0 && op === 'add') throw new AlreadyExistsError('neighbour', `${n.ip.text} dev ${n.dev}`);
    if (i >= 0) ns.neighbours[i] = entry;
    else ns.neighbours.push(entry);
  }

  async deleteNeighbour(spec: Pick<NeighbourSpec, 'dev' | 'ip'>, at: NetnsTarget): Promise<void> {
    const ns = this.ns(at);
    const n = normaliseNeighbour(spec);
    const link = this.link(ns, n.dev);
    const before = ns.neighbours.length;
    ns.neighbours = ns.neighbours.filter(
      (x) => !(x.link === link && x.ip.value === n.ip.value && x.ip.family === n.ip.family),
    );
    if (ns.neighbours.length === before) throw new NotFoundError('neighbour', `${n.ip.text} dev ${n.dev}`);
  }

  // ------------------------------------------------------------ sysctls

  private sysctlSlot(ns: FakeNetns, key: string): { get(): string; set(v: string): void } {
    const path = sysctlPath(key);
    if (ns.sysctls.has(path)) {
      return { get: () => ns.sysctls.get(path) ?? '', set: (v) => ns.sysctls.set(path, v) };
    }
    const m = /^net\/(ipv4|ipv6)\/conf\/([^/]+)\/([^/]+)$/.exec(path);
    const link = m && ns.links.find((l) => l.name === m[2]);
    const defaults = m?.[1] === 'ipv4' ? V4_CONF : V6_CONF;
    if (!m || !link || defaults[m[3] ?? ''] === undefined) throw new NotFoundError('sysctl', path);
    const own = `${m[1]}/${m[3]}`;
    const fallback = ns.sysctls.get(`net/${m[1]}/conf/default/${m[3]}`) ?? '';
    return { get: () => link.sysctls.get(own) ?? fallback, set: (v) => link.sysctls.set(own, v) };
  }

  async readSysctl(key: string, at: NetnsTarget): Promise<string> {
    return this.sysctlSlot(this.ns(at), key).get();
  }

  async writeSysctl(key: string, value: string | number, at: NetnsTarget): Promise<void> {
    const text = String(value);
    if (/[\n\0]/.test(text)) throw new InvalidArgumentError('value', 'sysctl values are single-line');
    this.sysctlSlot(this.ns(at), key).set(text.trim());
  }

  async enableAnnouncements(name: string, at: NetnsTarget): Promise<void> {
    await announceViaSysctls(this, name, at);
  }

  // ------------------------------------------------------------ namespaces

  async createNetns(name: string): Promise<string> {
    const path = `/var/run/netns/${checkNetnsName(name)}`;
    if (this.namespaces.has(path)) throw new AlreadyExistsError('netns', path);
    this.namespaces.set(path, newNetns(path, { loopbackUp: false }));
    return path;
  }

  async deleteNetns(nameOrPath: string): Promise<void> {
    const path = `/var/run/netns/${netnsNameOf(nameOrPath)}`;
    const ns = this.namespaces.get(path);
    if (!ns) throw new NetnsNotFoundError(path);
    for (const link of [...ns.links]) this.destroy(link);
    this.namespaces.delete(path);
  }

  async netnsPathExists(path: string): Promise<boolean> {
    return this.namespaces.has(checkNetnsPath(path, 'path'));
  }
}

// ------------------------------------------------------------ model helpers

function newNetns(path: string | undefined, options: { loopbackUp: boolean }): FakeNetns {
  const sysctls = new Map<string, string>([
    ['net/ipv4/ip_forward', '0'],
    ['net/ipv4/ip_nonlocal_bind', '0'],
  ]);
  for (const conf of ['all', 'default']) {
    for (const [leaf, v] of Object.entries(V4_CONF)) sysctls.set(`net/ipv4/conf/${conf}/${leaf}`, v);
    for (const [leaf, v] of Object.entries(V6_CONF)) sysctls.set(`net/ipv6/conf/${conf}/${leaf}`, v);
  }
  const ns: FakeNetns = {
    path,
    links: [],
    nextIndex: 1,
    addresses: [],
    routes: [],
    rules: [
      {
        family: 4,
        priority: 0,
        table: LOCAL_TABLE,
        from: undefined,
        to: undefined,
        fwmark: undefined,
        fwmask: undefined,
      },
      {
        family: 4,
        priority: 32766,
        table: MAIN_TABLE,
        from: undefined,
        to: undefined,
        fwmark: undefined,
        fwmask: undefined,
      },
      {
        family: 4,
        priority: 32767,
        table: DEFAULT_TABLE,
        from: undefined,
        to: undefined,
        fwmark: undefined,
        fwmask: undefined,
      },
      {
        family: 6,
        priority: 0,
        table: LOCAL_TABLE,
        from: undefined,
        to: undefined,
        fwmark: undefined,
        fwmask: undefined,
      },
      {
        family: 6,
        priority: 32766,
        table: MAIN_TABLE,
        from: undefined,
        to: undefined,
        fwmark: undefined,
        fwmask: undefined,
      },
    ],
    neighbours: [],
    sysctls,
  };
  const lo: FakeLink = {
    index: 0,
    name: 'lo',
    kind: undefined,
    adminUp: options.loopbackUp,
    mtu: 65536,
    mac: '00:00:00:00:00:00',
    txQueueLen: 1000,
    master: undefined,
    peer: undefined,
    parent: undefined,
    ns,
    sysctls: new Map(),
  };
  attach(ns, lo);
  if (options.loopbackUp) {
    ns.addresses.push(
      { link: lo, prefix: mustPrefix('127.0.0.1', 8) },
      { link: lo, prefix: mustPrefix('::1', 128) },
    );
  }
  return ns;
}

function mustPrefix(ip: string, prefixLen: number): ParsedPrefix {
  const p = parseIp(ip);
  if (!p) throw new Error(`bad built-in address ${ip}`);
  return { ...p, prefixLen, cidr: `${p.text}/${prefixLen}` };
}

function attach(ns: FakeNetns, link: FakeLink, index?: number): void {
  if (index !== undefined) {
    link.index = index;
  } else {
    while (ns.links.some((l) => l.index === ns.nextIndex)) ns.nextIndex += 1;
    link.index = ns.nextIndex;
    ns.nextIndex += 1;
  }
  link.ns = ns;
  ns.links.push(link);
}

function detach(link: FakeLink): void {
  const ns = link.ns;
  ns.links = ns.links.filter((l) => l !== link);
  ns.addresses = ns.addresses.filter((a) => a.link !== link);
  ns.routes = ns.routes.filter((r) => r.link !== link);
  ns.neighbours = ns.neighbours.filter((n) => n.link !== link);
}

function hasCarrier(link: FakeLink): boolean {
  if (!link.adminUp) return false;
  if (link.kind === 'veth') return link.peer?.adminUp === true;
  if (link.parent) return hasCarrier(link.parent);
  return true;
}

function viewLink(l: FakeLink): Link {
  const carrier = hasCarrier(l);
  const flags =
    l.kind === undefined && l.name === 'lo'
      ? ['LOOPBACK', ...(l.adminUp ? ['UP', 'LOWER_UP'] : [])]
      : [
          ...(l.adminUp && !carrier ? ['NO-CARRIER'] : []),
          'BROADCAST',
          'MULTICAST',
          ...(l.adminUp ? ['UP'] : []),
          ...(carrier ? ['LOWER_UP'] : []),
        ];
  const operState = !l.adminUp
    ? 'DOWN'
    : l.kind === 'veth' || l.parent
      ? carrier
        ? 'UP'
        : 'DOWN'
      : 'UNKNOWN';
  return {
    index: l.index,
    name: l.name,
    kind: l.kind,
    flags,
    adminUp: l.adminUp,
    operState,
    mtu: l.mtu,
    mac: l.mac,
    txQueueLen: l.txQueueLen,
    master: l.master?.name,
    peerIndex: l.peer?.index ?? l.parent?.index,
  };
}

function addressScope(p: ParsedPrefix): string {
  if ((p.family === 4 && p.value >> 24n === 127n) || (p.family === 6 && p.value === 1n)) return 'host';
  return isLinkLocal(p) ? 'link' : 'global';
}

function findAddress(ns: FakeNetns, link: FakeLink, p: ParsedPrefix): FakeAddress | undefined {
  return ns.addresses.find(
    (a) =>
      a.link === link &&
      a.prefix.family === p.family &&
      a.prefix.value === p.value &&
      (p.family === 6 || a.prefix.prefixLen === p.prefixLen),
  );
}

function addConnectedRoute(ns: FakeNetns, a: FakeAddress): void {
  const max = a.prefix.family === 4 ? 32 : 128;
  if (a.prefix.prefixLen === max || addressScope(a.prefix) === 'host') return;
  const net = networkOf(a.prefix);
  if (ns.routes.some((r) => r.table === MAIN_TABLE && r.link === a.link && r.dst.cidr === net)) return;
  const dst = parseIp(net.split('/')[0] ?? '');
  if (!dst) return;
  ns.routes.push({
    family: a.prefix.family,
    dst: { ...dst, prefixLen: a.prefix.prefixLen, cidr: net },
    via: undefined,
    link: a.link,
    src: a.prefix.family === 4 ? a.prefix : undefined,
    table: MAIN_TABLE,
    scope: a.prefix.family === 4 ? 'link' : 'universe',
    metric: a.prefix.family === 4 ? 0 : 256,
    protocol: 'kernel',
    mtu: undefined,
  });
}

function viewRoute(r: FakeRoute): Route {
  return {
    family: r.family,
    dst: r.dst.cidr,
    via: r.via?.text,
    dev: r.link.name,
    src: r.src?.text,
    table: r.table,
    scope: r.scope,
    metric: r.metric,
    protocol: r.protocol,
    type: 'unicast',
    mtu: r.mtu,
    nexthops: undefined,
  };
}

/** The kernel's fib_default_rule_pref: one below the second rule's preference, if that is non-zero. */
function defaultRulePref(rules: readonly Rule[]): number {
  const second = [...rules].sort((a, b) => a.priority - b.priority)[1];
  return second && second.priority > 0 ? second.priority - 1 : 0;
}

function viewRule(n: NormalRule, priority: number): Rule {
  return {
    family: n.family,
    priority,
    table: n.table,
    from: n.from?.cidr,
    to: n.to?.cidr,
    fwmark: n.fwmark,
    fwmask: n.fwmask,
  };
}

function sameRule(a: Rule, b: Rule): boolean {
  return (
    a.priority === b.priority &&
    a.table === b.table &&
    a.from === b.from &&
    a.to === b.to &&
    a.fwmark === b.fwmark &&
    a.fwmask === b.fwmask
  );
}

function matchesRule(r: Rule, n: NormalRule): boolean {
  return (
    (n.priority === undefined || r.priority === n.priority) &&
    r.table === n.table &&
    (n.from === undefined || r.from === n.from.cidr) &&
    (n.to === undefined || r.to === n.to.cidr) &&
    (n.fwmark === undefined || r.fwmark === n.fwmark)
  );
}

function describeRule(r: Rule): string {
  return `${r.priority}: from ${r.from ?? 'all'}${r.to ? ` to ${r.to}` : ''} lookup ${r.table}`;
}
