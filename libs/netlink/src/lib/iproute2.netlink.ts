import { stat } from 'node:fs/promises';
import type { z } from 'zod';
import {
  AlreadyExistsError,
  GatewayUnreachableError,
  InvalidArgumentError,
  LinkDownError,
  LinkNotFoundError,
  NetlinkCommandError,
  NetlinkParseError,
  NetnsNotFoundError,
  NotFoundError,
} from './errors.js';
import type { NetlinkObjectKind } from './errors.js';
import { parseIp, parsePrefix } from './ip-prefix.js';
import type { IpFamily } from './ip-prefix.js';
import {
  ipAddrSchema,
  ipLinkSchema,
  ipNeighSchema,
  ipRouteGetSchema,
  ipRouteSchema,
  ipRuleSchema,
} from './iproute2.schemas.js';
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
import { ExecFileRunner, inNetns } from './netns-exec.js';
import { announceViaSysctls, netnsNameOf, sameKindOrThrow } from './port-semantics.js';
import type { CommandRunner, CommandResult } from './netns-exec.js';

/** What a failed command is about, so that its stderr maps to the right typed error. */
interface Context {
  readonly kind: NetlinkObjectKind;
  readonly what: string;
  readonly link?: string | undefined;
  readonly gateway?: string | undefined;
}

type Failure =
  | 'table-missing'
  | 'netns-missing'
  | 'exists'
  | 'link-missing'
  | 'link-down'
  | 'gateway'
  | 'not-found'
  | 'invalid';

/**
 * The one place where tool messages are read (LC_ALL=C is forced by the runner). Everything above this
 * function sees typed errors only.
 */
export function classifyFailure(stderr: string): Failure | undefined {
  if (/nsenter: .*(No such file or directory|Invalid argument)/.test(stderr)) return 'netns-missing';
  if (/Cannot (create|remove) namespace file .*No such file/.test(stderr)) return 'netns-missing';
  if (/File exists|already assigned|already exists/.test(stderr)) return 'exists';
  if (/FIB table does not exist/.test(stderr)) return 'table-missing';
  if (/Cannot find device|Device ".*" does not exist|Device does not exist|No such device/.test(stderr)) {
    return 'link-missing';
  }
  if (/(Device for nexthop|Nexthop device) is not up|Network is down/.test(stderr)) return 'link-down';
  if (/Nexthop has invalid gateway|Network is unreachable|Invalid gateway/.test(stderr)) return 'gateway';
  if (/No such process|not found|No such file or directory|Cannot assign requested address/.test(stderr)) {
    return 'not-found';
  }
  if (/Invalid prefsrc|Invalid argument|Invalid prefix|invalid/i.test(stderr)) return 'invalid';
  return undefined;
}

const TABLE_NAMES: Readonly<Record<string, number>> = {
  main: MAIN_TABLE,
  local: LOCAL_TABLE,
  default: DEFAULT_TABLE,
};

const SCOPE_NAMES: Readonly<Record<string, string>> = { global: 'universe' };

export interface Iproute2NetlinkOptions {
  /** Program names or absolute paths; defaults `ip`, `nsenter`-free helpers `cat` and `tee`. */
  readonly ip?: string;
  readonly cat?: string;
  readonly tee?: string;
}

/**
 * `NetlinkPort` over iproute2: every call spawns `ip -json …` (or `ip -batch -`), wrapped by `inNetns` when it
 * targets another namespace, and parses the JSON with zod. See docs/adr/0006-iproute2-netlink.md.
 */
export class Iproute2Netlink implements NetlinkPort {
  private readonly ip: string;
  private readonly cat: string;
  private readonly tee: string;

  constructor(
    private readonly runner: CommandRunner = new ExecFileRunner(),
    options: Iproute2NetlinkOptions = {},
  ) {
    this.ip = options.ip ?? 'ip';
    this.cat = options.cat ?? 'cat';
    this.tee = options.tee ?? 'tee';
  }

  // ------------------------------------------------------------ plumbing

  private async run(argv: readonly string[], at: NetnsTarget, ctx: Context, stdin?: string): Promise<string> {
    const netns = at.netns === undefined ? undefined : checkNetnsPath(at.netns);
    const command = inNetns(netns, argv);
    const result = await this.runner.run(command, stdin === undefined ? {} : { stdin });
    if (result.exitCode === 0) return result.stdout;
    throw this.toError(command, result, ctx, netns);
  }

  private toError(command: string[], result: CommandResult, ctx: Context, netns: string | undefined): Error {
    const cause = new NetlinkCommandError(command, result.exitCode, result.stderr);
    const quoted = /"([^"]+)"/.exec(result.stderr)?.[1];
    switch (classifyFailure(result.stderr)) {
      case 'netns-missing':
        return new NetnsNotFoundError(netns ?? quoted ?? ctx.what, { cause });
      case 'exists':
        return new AlreadyExistsError(ctx.kind, ctx.what, { cause });
      case 'link-missing':
        return new LinkNotFoundError(quoted ?? ctx.link ?? ctx.what, { cause });
      case 'link-down':
        return new LinkDownError(ctx.link ?? ctx.what, { cause });
      case 'gateway':
        return new GatewayUnreachableError(ctx.gateway ?? ctx.what, { cause });
      case 'not-found':
      case 'table-missing':
        return new NotFoundError(ctx.kind, ctx.what, { cause });
      case 'invalid':
        return new InvalidArgumentError(ctx.kind, result.stderr.trim(), { cause });
      default:
        return cause;
    }
  }

  private async ipJson<S extends z.ZodType>(
    argv: readonly string[],
    schema: S,
    at: NetnsTarget,
    ctx: Context,
  ): Promise<z.infer<S>[]> {
    const command = [this.ip, '-json', ...argv];
    const stdout = await this.run(command, at, ctx);
    const text = stdout.trim();
    if (text === '') return [];
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (cause) {
      throw new NetlinkParseError(command, 'not JSON', { cause });
    }
    if (!Array.isArray(raw)) throw new NetlinkParseError(command, 'expected a JSON array');
    return raw.map((item, i) => {
      const parsed = schema.safeParse(item);
      if (!parsed.success) {
        throw new NetlinkParseError(command, `item ${i}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
          cause: parsed.error,
        });
      }
      return parsed.data as z.infer<S>;
    });
  }

  private async requireNetns(path: string): Promise<string> {
    checkNetnsPath(path);
    if (!(await this.netnsPathExists(path))) throw new NetnsNotFoundError(path);
    return path;
  }

  // ------------------------------------------------------------ links

  async listLinks(at: NetnsTarget): Promise<Link[]> {
    const rows = await this.ipJson(['-details', 'link', 'show'], ipLinkSchema, at, {
      kind: 'link',
      what: '*',
    });
    return rows.map(toLink);
  }

  async getLink(name: string, at: NetnsTarget): Promise<Link> {
    checkLinkName(name);
    const ctx = { kind: 'link', what: name, link: name } as const;
    const rows = await this.ipJson(['-details', 'link', 'show', 'dev', name], ipLinkSchema, at, ctx);
    const row = rows.find((r) => r.ifname === name);
    if (!row) throw new LinkNotFoundError(name);
    return toLink(row);
  }

  async findLink(name: string, at: NetnsTarget): Promise<Link | undefined> {
    try {
      return await this.getLink(name, at);
    } catch (e) {
      if (e instanceof LinkNotFoundError && !(e instanceof NetnsNotFoundError)) return undefined;
      throw e;
    }
  }

  async createLink(input: LinkSpec, at: NetnsTarget): Promise<Link> {
    const spec = normaliseLinkSpec(input);
    const argv = [this.ip, 'link', 'add', spec.name, ...commonLinkArgs(spec)];
    switch (spec.kind) {
      case 'veth': {
        if (spec.peer.netns !== undefined) await this.requireNetns(spec.peer.netns);
        argv.push('type', 'veth', 'peer', 'name', spec.peer.name);
        if (spec.peer.mtu !== undefined) argv.push('mtu', String(spec.peer.mtu));
        if (spec.peer.mac !== undefined) argv.push('address', spec.peer.mac);
        if (spec.peer.netns !== undefined) argv.push('netns', spec.peer.netns);
        break;
      }
      case 'bridge':
      case 'dummy':
        argv.push('type', spec.kind);
        break;
      case 'vlan':
        argv.splice(4, 0, 'link', spec.parent);
        argv.push('type', 'vlan', 'id', String(spec.vlanId));
        break;
      case 'macvlan':
      case 'ipvlan':
        argv.splice(4, 0, 'link', spec.parent);
        argv.push('type', spec.kind, 'mode', spec.mode);
        break;
      case 'bond':
        argv.push('type', 'bond', 'mode', String(spec.mode));
        for (const [key, value] of Object.entries(spec.options ?? {})) {
          argv.push(key, Array.isArray(value) ? value.join(',') : String(value));
        }
        break;
    }
    await this.run(argv, at, { kind: 'link', what: spec.name, link: spec.name });
    return this.getLink(spec.name, at);
  }

  async ensureLink(spec: LinkSpec, at: NetnsTarget): Promise<Link> {
    const existing = await this.findLink(checkLinkName(spec.name), at);
    if (existing) return sameKindOrThrow(existing, spec);
    try {
      return await this.createLink(spec, at);
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
      const raced = await this.findLink(spec.name, at);
      if (!raced) throw e; // the veth peer name was taken, not ours
      return sameKindOrThrow(raced, spec);
    }
  }

  createVethPair(spec: Omit<VethSpec, 'kind'>, at: NetnsTarget): Promise<Link> {
    return this.createLink({ ...spec, kind: 'veth' }, at);
  }

  createBridge(spec: Omit<BridgeSpec, 'kind'>, at: NetnsTarget): Promise<Link> {
    return this.createLink({ ...spec, kind: 'bridge' }, at);
  }

  async deleteLink(name: string, at: NetnsTarget): Promise<void> {
    await this.linkSet(name, [], at, ['link', 'del', 'dev', name]);
  }

  async moveLinkToNetns(name: string, toNetns: string, at: NetnsTarget): Promise<void> {
    await this.requireNetns(toNetns);
    await this.linkSet(name, ['netns', toNetns], at);
  }

  async setLinkUp(name: string, at: NetnsTarget): Promise<void> {
    await this.linkSet(name, ['up'], at);
  }

  async setLinkDown(name: string, at: NetnsTarget): Promise<void> {
    await this.linkSet(name, ['down'], at);
  }

  async setLinkMaster(name: string, master: string | undefined, at: NetnsTarget): Promise<void> {
    await this.linkSet(
      name,
      master === undefined ? ['nomaster'] : ['master', checkLinkName(master, 'master')],
      at,
    );
  }

  async setMtu(name: string, mtu: number, at: NetnsTarget): Promise<void> {
    await this.linkSet(name, ['mtu', String(checkMtu(mtu))], at);
  }

  async setHardwareAddr(name: string, mac: string, at: NetnsTarget): Promise<void> {
    await this.linkSet(name, ['address', checkMac(mac)], at);
  }

  async setTxQueueLen(name: string, qlen: number, at: NetnsTarget): Promise<void> {
    await this.linkSet(name, ['txqueuelen', String(checkU32(qlen, 'txQueueLen'))], at);
  }

  private async linkSet(name: string, args: string[], at: NetnsTarget, full?: string[]): Promise<void> {
    checkLinkName(name);
    const argv = [this.ip, ...(full ?? ['link', 'set', 'dev', name, ...args])];
    await this.run(argv, at, { kind: 'link', what: name, link: name });
  }

  // ------------------------------------------------------------ addresses

  async listAddresses(filter: AddressFilter, at: NetnsTarget): Promise<Address[]> {
    const argv = ['addr', 'show'];
    if (filter.dev !== undefined) argv.push('dev', checkLinkName(filter.dev, 'dev'));
    const ctx = { kind: 'address', what: filter.dev ?? '*', link: filter.dev } as const;
    const rows = await this.ipJson(argv, ipAddrSchema, at, ctx);
    const out: Address[] = [];
    for (const row of rows) {
      if (filter.dev !== undefined && row.ifname !== filter.dev) continue;
      for (const a of row.addr_info) {
        const family: IpFamily | undefined = a.family === 'inet' ? 4 : a.family === 'inet6' ? 6 : undefined;
        if (family === undefined || a.local === undefined) continue;
        if (filter.family !== undefined && filter.family !== family) continue;
        const ip = parseIp(a.local)?.text ?? a.local;
        out.push({
          dev: row.ifname,
          family,
          ip,
          prefixLen: a.prefixlen,
          cidr: `${ip}/${a.prefixlen}`,
          scope: a.scope ?? 'global',
        });
      }
    }
    return out;
  }

  addAddress(spec: AddressSpec, at: NetnsTarget): Promise<void> {
    return this.addressOp('add', spec, at);
  }

  replaceAddress(spec: AddressSpec, at: NetnsTarget): Promise<void> {
    return this.addressOp('replace', spec, at);
  }

  deleteAddress(spec: Pick<AddressSpec, 'dev' | 'cidr'>, at: NetnsTarget): Promise<void> {
    return this.addressOp('del', spec, at);
  }

  private async addressOp(op: 'add' | 'replace' | 'del', input: AddressSpec, at: NetnsTarget): Promise<void> {
    const a = normaliseAddress(input);
    const argv = [this.ip, 'addr', op, a.prefix.cidr, 'dev', a.dev];
    if (op !== 'del' && a.noDad && a.prefix.family === 6) argv.push('nodad');
    await this.run(argv, at, { kind: 'address', what: `${a.prefix.cidr} dev ${a.dev}`, link: a.dev });
  }

  // ------------------------------------------------------------ routes

  async listRoutes(filter: RouteFilter, at: NetnsTarget): Promise<Route[]> {
    const table = filter.table ?? MAIN_TABLE;
    const families: IpFamily[] = filter.family === undefined ? [4, 6] : [filter.family];
    const ctx = { kind: 'route', what: `table ${table}` } as const;
    const perFamily = await Promise.all(
      families.map(async (family) => {
        const argv = ['-details', `-${family}`, 'route', 'show', 'table', String(checkU32(table, 'table'))];
        try {
          const rows = await this.ipJson(argv, ipRouteSchema, at, ctx);
          return rows.map((r) => toRoute(r, family, table));
        } catch (e) {
          // IPv6 reports a table that never held a route as missing; that is an empty table to us.
          if (e instanceof NotFoundError && e.cause instanceof NetlinkCommandError) {
            if (classifyFailure(e.cause.stderr) === 'table-missing') return [];
          }
          throw e;
        }
      }),
    );
    return perFamily.flat().filter((r) => filter.dev === undefined || r.dev === filter.dev);
  }

  async addRoute(spec: RouteSpec, at: NetnsTarget): Promise<void> {
    const r = normaliseRoute(spec);
    await this.run([this.ip, 'route', 'add', ...routeArgs(r, { full: true })], at, routeCtx(r));
  }

  async replaceRoute(spec: RouteSpec, at: NetnsTarget): Promise<void> {
    const r = normaliseRoute(spec);
    await this.run([this.ip, 'route', 'replace', ...routeArgs(r, { full: true })], at, routeCtx(r));
  }

  async replaceRoutes(specs: readonly RouteSpec[], at: NetnsTarget): Promise<void> {
    const routes = specs.map((s) => normaliseRoute(s));
    if (routes.length === 0) return;
    const [first] = routes;
    if (routes.length === 1 && first) {
      await this.run([this.ip, 'route', 'replace', ...routeArgs(first, { full: true })], at, routeCtx(first));
      return;
    }
    const script = routes
      .map((r) => ['route', 'replace', ...routeArgs(r, { full: true })].join(' '))
      .join('\n');
    await this.run(
      [this.ip, '-batch', '-'],
      at,
      { kind: 'route', what: `batch of ${routes.length}` },
      `${script}\n`,
    );
  }

  async deleteRoute(spec: RouteSpec, at: NetnsTarget): Promise<void> {
    const r = normaliseRoute(spec);
    const argv = [this.ip, 'route', 'del', ...routeArgs(r, { full: false })];
    if (spec.scope !== undefined) argv.push('scope', spec.scope);
    await this.run(argv, at, routeCtx(r));
  }

  async getRouteTo(ipText: string, at: NetnsTarget): Promise<RouteLookup> {
    const ip = parseIp(ipText);
    if (!ip) throw new InvalidArgumentError('ip', `not an IP address: ${ipText}`);
    let rows;
    try {
      rows = await this.ipJson(['route', 'get', ip.text], ipRouteGetSchema, at, {
        kind: 'route',
        what: ip.text,
      });
    } catch (e) {
      if (e instanceof GatewayUnreachableError) throw new NotFoundError('route', ip.text, { cause: e.cause });
      throw e;
    }
    const row = rows[0];
    if (!row) throw new NotFoundError('route', ip.text);
    return { dst: ip.text, dev: row.dev, via: row.gateway, src: row.prefsrc };
  }

  // ------------------------------------------------------------ rules

  async listRules(filter: { readonly family?: IpFamily }, at: NetnsTarget): Promise<Rule[]> {
    const families: IpFamily[] = filter.family === undefined ? [4, 6] : [filter.family];
    const perFamily = await Promise.all(
      families.map(async (family) => {
        const rows = await this.ipJson([`-${family}`, 'rule', 'show'], ipRuleSchema, at, {
          kind: 'rule',
          what: '*',
        });
        return rows.map((r) => toRule(r, family));
      }),
    );
    return perFamily.flat();
  }

  async addRule(spec: RuleSpec, at: NetnsTarget): Promise<void> {
    const r = normaliseRule(spec);
    await this.run([this.ip, `-${r.family}`, 'rule', 'add', ...ruleArgs(r)], at, ruleCtx(r));
  }

  async deleteRule(spec: RuleSpec, at: NetnsTarget): Promise<void> {
    const r = normaliseRule(spec);
    await this.run([this.ip, `-${r.family}`, 'rule', 'del', ...ruleArgs(r)], at, ruleCtx(r));
  }

  // ------------------------------------------------------------ neighbours

  async listNeighbours(filter: NeighbourFilter, at: NetnsTarget): Promise<Neighbour[]> {
    const rows = await this.ipJson(['neigh', 'show'], ipNeighSchema, at, { kind: 'neighbour', what: '*' });
    const out: Neighbour[] = [];
    for (const row of rows) {
      const ip = parseIp(row.dst);
      if (!ip || row.dev === undefined) continue;
      if (filter.dev !== undefined && row.dev !== filter.dev) continue;
      if (filter.family !== undefined && filter.family !== ip.family) continue;
      out.push({
        dev: row.dev,
        family: ip.family,
        ip: ip.text,
        lladdr: row.lladdr?.toLowerCase(),
        state: (row.state ?? []).map((s) => s.toLowerCase()),
      });
    }
    return out;
  }

  addNeighbour(spec: NeighbourSpec, at: NetnsTarget): Promise<void> {
    return this.neighbourOp('add', spec, at);
  }

  replaceNeighbour(spec: NeighbourSpec, at: NetnsTarget): Promise<void> {
    return this.neighbourOp('replace', spec, at);
  }

  deleteNeighbour(spec: Pick<NeighbourSpec, 'dev' | 'ip'>, at: NetnsTarget): Promise<void> {
    return this.neighbourOp('del', spec, at);
  }

  private async neighbourOp(
    op: 'add' | 'replace' | 'del',
    spec: Pick<NeighbourSpec, 'dev' | 'ip'> & Partial<NeighbourSpec>,
    at: NetnsTarget,
  ): Promise<void> {
    const n = normaliseNeighbour(spec);
    const argv = [this.ip, 'neigh', op, n.ip.text];
    if (op !== 'del') {
      if (n.lladdr === undefined) throw new InvalidArgumentError('lladdr', 'required');
      argv.push('lladdr', n.lladdr);
    }
    argv.push('dev', n.dev);
    if (op !== 'del') argv.push('nud', n.state);
    await this.run(argv, at, { kind: 'neighbour', what: `${n.ip.text} dev ${n.dev}`, link: n.dev });
  }

  // ------------------------------------------------------------ sysctls

  async readSysctl(key: string, at: NetnsTarget): Promise<string> {
    const path = sysctlPath(key);
    const out = await this.run([this.cat, `/proc/sys/${path}`], at, { kind: 'sysctl', what: path });
    return out.trim();
  }

  async writeSysctl(key: string, value: string | number, at: NetnsTarget): Promise<void> {
    const path = sysctlPath(key);
    const text = String(value);
    if (/[\n\0]/.test(text)) throw new InvalidArgumentError('value', 'sysctl values are single-line');
    await this.run([this.tee, `/proc/sys/${path}`], at, { kind: 'sysctl', what: path }, `${text}\n`);
  }

  async enableAnnouncements(name: string, at: NetnsTarget): Promise<void> {
    await announceViaSysctls(this, name, at);
  }

  // ------------------------------------------------------------ namespaces

  async createNetns(name: string): Promise<string> {
    checkNetnsName(name);
    await this.run([this.ip, 'netns', 'add', name], {}, { kind: 'netns', what: name });
    return `/var/run/netns/${name}`;
  }

  async deleteNetns(nameOrPath: string): Promise<void> {
    const name = netnsNameOf(nameOrPath);
    await this.run([this.ip, 'netns', 'del', name], {}, { kind: 'netns', what: `/var/run/netns/${name}` });
  }

  async netnsPathExists(path: string): Promise<boolean> {
    try {
      await stat(checkNetnsPath(path, 'path'));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }
}

function commonLinkArgs(spec: LinkSpec): string[] {
  const out: string[] = [];
  if (spec.mtu !== undefined) out.push('mtu', String(spec.mtu));
  if (spec.mac !== undefined) out.push('address', spec.mac);
  if (spec.txQueueLen !== undefined) out.push('txqueuelen', String(spec.txQueueLen));
  return out;
}

function toLink(r: z.infer<typeof ipLinkSchema>): Link {
  return {
    index: r.ifindex,
    name: r.ifname,
    kind: r.linkinfo?.info_kind,
    flags: r.flags,
    adminUp: r.flags.includes('UP'),
    operState: r.operstate ?? 'UNKNOWN',
    mtu: r.mtu,
    mac: r.address?.toLowerCase(),
    txQueueLen: r.txqlen,
    master: r.master,
    peerIndex: r.link_index,
  };
}

function tableNumber(name: string | undefined, fallback: number): number {
  if (name === undefined) return fallback;
  const known = TABLE_NAMES[name];
  if (known !== undefined) return known;
  const n = Number(name);
  if (!Number.isInteger(n)) throw new NetlinkParseError(['ip'], `unknown routing table name ${name}`);
  return n;
}

function hostLen(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

function toRoute(r: z.infer<typeof ipRouteSchema>, family: IpFamily, table: number): Route {
  const dst =
    r.dst === 'default' ? (family === 4 ? '0.0.0.0/0' : '::/0') : (parsePrefix(r.dst)?.cidr ?? r.dst);
  const metrics = Array.isArray(r.metrics) ? Object.assign({}, ...r.metrics) : (r.metrics ?? {});
  const mtu = typeof metrics['mtu'] === 'number' ? metrics['mtu'] : undefined;
  return {
    family,
    dst,
    via: r.gateway === undefined ? undefined : (parseIp(r.gateway)?.text ?? r.gateway),
    dev: r.dev,
    src: r.prefsrc,
    table: tableNumber(r.table, table),
    scope: SCOPE_NAMES[r.scope ?? 'global'] ?? r.scope ?? 'universe',
    metric: r.metric ?? 0,
    protocol: r.protocol ?? 'boot',
    type: r.type ?? 'unicast',
    mtu,
    nexthops: r.nexthops?.map((n) => ({ via: n.gateway, dev: n.dev, weight: n.weight })),
  };
}

function routeArgs(r: NormalRoute, options: { full: boolean }): string[] {
  const out = [r.dst];
  if (r.via) out.push('via', r.via.text);
  if (r.dev) out.push('dev', r.dev);
  if (options.full && r.src) out.push('src', r.src.text);
  out.push('table', String(r.table));
  if (options.full) out.push('scope', r.scope === 'universe' ? 'global' : r.scope);
  if (r.metric !== undefined) out.push('metric', String(r.metric));
  if (options.full && r.mtu !== undefined) out.push('mtu', String(r.mtu));
  return out;
}

function routeCtx(r: NormalRoute): Context {
  const what = `${r.dst}${r.via ? ` via ${r.via.text}` : ''}${r.dev ? ` dev ${r.dev}` : ''} table ${r.table}`;
  return { kind: 'route', what, link: r.dev, gateway: r.via?.text };
}

function prefixText(addr: string | undefined, len: number | undefined, family: IpFamily): string | undefined {
  if (addr === undefined || addr === 'all') return undefined;
  const ip = parseIp(addr);
  return `${ip?.text ?? addr}/${len ?? hostLen(family)}`;
}

function toRule(r: z.infer<typeof ipRuleSchema>, family: IpFamily): Rule {
  let fwmark: number | undefined;
  let fwmask: number | undefined;
  if (r.fwmark !== undefined) {
    const [mark, mask] = r.fwmark.split('/');
    fwmark = Number(mark);
    const maskText = mask ?? r.fwmask;
    fwmask = maskText === undefined ? undefined : Number(maskText);
    if (fwmask === 0xffffffff) fwmask = undefined;
  }
  return {
    family,
    priority: r.priority,
    table: tableNumber(r.table, 0),
    from: prefixText(r.src, r.srclen, family),
    to: prefixText(r.dst, r.dstlen, family),
    fwmark,
    fwmask,
  };
}

function ruleArgs(r: NormalRule): string[] {
  const out: string[] = [];
  if (r.from) out.push('from', r.from.cidr);
  if (r.to) out.push('to', r.to.cidr);
  if (r.fwmark !== undefined) {
    const mark = `0x${r.fwmark.toString(16)}`;
    out.push('fwmark', r.fwmask === undefined ? mark : `${mark}/0x${r.fwmask.toString(16)}`);
  }
  if (r.priority !== undefined) out.push('pref', String(r.priority));
  out.push('lookup', String(r.table));
  return out;
}

function ruleCtx(r: NormalRule): Context {
  const what = `${r.from ? `from ${r.from.cidr} ` : ''}${r.to ? `to ${r.to.cidr} ` : ''}lookup ${r.table}`;
  return { kind: 'rule', what };
}
