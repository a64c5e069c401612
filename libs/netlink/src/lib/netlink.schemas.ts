/**
 * Validation and normalisation of the port's inputs, shared by every implementation so that the real adapter
 * and the fake reject the same requests with the same `InvalidArgumentError` before doing anything.
 */
import { z } from 'zod';
import { InvalidArgumentError } from './errors.js';
import { hasHostBits, networkOf, parseIp, parsePrefix } from './ip-prefix.js';
import type { IpFamily, ParsedIp, ParsedPrefix } from './ip-prefix.js';
import { MAIN_TABLE } from './netlink.port.js';
import type {
  AddressSpec,
  LinkSpec,
  NeighbourSpec,
  NeighbourState,
  RouteScope,
  RouteSpec,
  RuleSpec,
} from './netlink.port.js';

const linkName = z
  .string()
  .regex(/^[^\s/:]{1,15}$/, 'link names are 1-15 characters without whitespace, "/" or ":"')
  .refine((n) => n !== '.' && n !== '..', 'link name may not be "." or ".."');
const mac = z
  .string()
  .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, 'MAC addresses look like 02:00:00:00:00:01')
  .transform((m) => m.toLowerCase());
const mtu = z.number().int().min(68).max(65535);
const u32 = z.number().int().min(0).max(0xffffffff);
const table = z.number().int().min(1).max(0xffffffff);
const netnsPath = z.string().min(1).startsWith('/', 'namespace paths are absolute');

const common = {
  name: linkName,
  mtu: mtu.optional(),
  mac: mac.optional(),
  txQueueLen: u32.optional(),
};

const linkSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('veth'),
    ...common,
    peer: z.object({ name: linkName, mtu: mtu.optional(), mac: mac.optional(), netns: netnsPath.optional() }),
  }),
  z.object({ kind: z.literal('bridge'), ...common }),
  z.object({ kind: z.literal('dummy'), ...common }),
  z.object({
    kind: z.literal('vlan'),
    ...common,
    parent: linkName,
    vlanId: z.number().int().min(0).max(4094),
  }),
  z.object({
    kind: z.literal('macvlan'),
    ...common,
    parent: linkName,
    mode: z.enum(['bridge', 'private', 'vepa', 'passthru']),
  }),
  z.object({ kind: z.literal('ipvlan'), ...common, parent: linkName, mode: z.enum(['l2', 'l3', 'l3s']) }),
  z.object({
    kind: z.literal('bond'),
    ...common,
    mode: z.number().int().min(0).max(6),
    options: z
      .record(
        z.string().regex(/^[a-z_]+$/, 'bond option names are lower-case words'),
        z.union([z.string().regex(/^[^\s]+$/), z.number(), z.array(z.string().regex(/^[^\s,]+$/))]),
      )
      .optional(),
  }),
]);

function check<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.length ? `${field}.${issue.path.join('.')}` : field;
  throw new InvalidArgumentError(path, issue?.message ?? 'invalid value');
}

export function checkLinkName(name: string, field = 'name'): string {
  return check(linkName, name, field);
}
export function checkMac(value: string): string {
  return check(mac, value, 'mac');
}
export function checkMtu(value: number): number {
  return check(mtu, value, 'mtu');
}
export function checkU32(value: number, field: string): number {
  return check(u32, value, field);
}
export function checkNetnsPath(value: string, field = 'netns'): string {
  return check(netnsPath, value, field);
}
export function checkNetnsName(value: string): string {
  return check(
    z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,200}$/)
      .refine((n) => n !== '.' && n !== '..'),
    value,
    'netns',
  );
}

export function normaliseLinkSpec(spec: LinkSpec): LinkSpec {
  return check(linkSpecSchema, spec, 'link') as LinkSpec;
}

function ipOf(text: string, field: string, family?: IpFamily): ParsedIp {
  const ip = parseIp(text);
  if (!ip) throw new InvalidArgumentError(field, `not an IP address: ${text}`);
  if (family !== undefined && ip.family !== family) {
    throw new InvalidArgumentError(field, `${text} is not IPv${family}`);
  }
  return ip;
}

function prefixOf(text: string, field: string): ParsedPrefix {
  const p = parsePrefix(text);
  if (!p) throw new InvalidArgumentError(field, `not a CIDR or IP: ${text}`);
  return p;
}

export interface NormalAddress {
  readonly dev: string;
  readonly prefix: ParsedPrefix;
  readonly noDad: boolean;
}

export function normaliseAddress(
  spec: Pick<AddressSpec, 'dev' | 'cidr'> & { noDad?: boolean },
): NormalAddress {
  return {
    dev: checkLinkName(spec.dev, 'dev'),
    prefix: prefixOf(spec.cidr, 'cidr'),
    noDad: spec.noDad === true,
  };
}

export interface NormalRoute {
  readonly family: IpFamily;
  /** Network CIDR text. */
  readonly dst: string;
  readonly dstPrefix: ParsedPrefix;
  readonly via: ParsedIp | undefined;
  readonly dev: string | undefined;
  readonly src: ParsedIp | undefined;
  readonly table: number;
  readonly scope: RouteScope;
  /** Undefined = kernel default (0 for IPv4, 1024 for IPv6). */
  readonly metric: number | undefined;
  readonly mtu: number | undefined;
}

export function normaliseRoute(spec: RouteSpec): NormalRoute {
  const dstPrefix = prefixOf(spec.dst, 'dst');
  if (hasHostBits(dstPrefix)) {
    throw new InvalidArgumentError(
      'dst',
      `${spec.dst} has host bits set (network is ${networkOf(dstPrefix)})`,
    );
  }
  const family = dstPrefix.family;
  const via = spec.via === undefined ? undefined : ipOf(spec.via, 'via', family);
  const src = spec.src === undefined ? undefined : ipOf(spec.src, 'src', family);
  const dev = spec.dev === undefined ? undefined : checkLinkName(spec.dev, 'dev');
  if (!via && !dev) throw new InvalidArgumentError('route', 'needs a gateway (via) or a device (dev)');
  const scope: RouteScope = spec.scope ?? (family === 4 && !via ? 'link' : 'universe');
  return {
    family,
    dst: dstPrefix.cidr,
    dstPrefix,
    via,
    dev,
    src,
    table: spec.table === undefined ? MAIN_TABLE : check(table, spec.table, 'table'),
    scope,
    metric: spec.metric === undefined ? undefined : checkU32(spec.metric, 'metric'),
    mtu: spec.mtu === undefined ? undefined : checkMtu(spec.mtu),
  };
}

export interface NormalRule {
  readonly family: IpFamily;
  readonly priority: number | undefined;
  readonly table: number;
  readonly from: ParsedPrefix | undefined;
  readonly to: ParsedPrefix | undefined;
  readonly fwmark: number | undefined;
  readonly fwmask: number | undefined;
}

export function normaliseRule(spec: RuleSpec): NormalRule {
  const from = spec.from === undefined ? undefined : prefixOf(spec.from, 'from');
  const to = spec.to === undefined ? undefined : prefixOf(spec.to, 'to');
  const family = spec.family ?? from?.family ?? to?.family ?? 4;
  for (const [field, p] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (p && p.family !== family) throw new InvalidArgumentError(field, `${p.cidr} is not IPv${family}`);
  }
  if (spec.fwmask !== undefined && spec.fwmark === undefined) {
    throw new InvalidArgumentError('fwmask', 'needs fwmark');
  }
  return {
    family,
    priority: spec.priority === undefined ? undefined : checkU32(spec.priority, 'priority'),
    table: check(table, spec.table, 'table'),
    from,
    to,
    fwmark: spec.fwmark === undefined ? undefined : checkU32(spec.fwmark, 'fwmark'),
    // A full mask is what "no mask" means to the kernel; `ip` prints none for it.
    fwmask:
      spec.fwmask === undefined || spec.fwmask === 0xffffffff ? undefined : checkU32(spec.fwmask, 'fwmask'),
  };
}

export interface NormalNeighbour {
  readonly dev: string;
  readonly ip: ParsedIp;
  readonly lladdr: string | undefined;
  readonly state: NeighbourState;
}

export function normaliseNeighbour(
  spec: Pick<NeighbourSpec, 'dev' | 'ip'> & Partial<NeighbourSpec>,
): NormalNeighbour {
  return {
    dev: checkLinkName(spec.dev, 'dev'),
    ip: ipOf(spec.ip, 'ip'),
    lladdr: spec.lladdr === undefined ? undefined : checkMac(spec.lladdr),
    state: check(z.enum(['permanent', 'reachable', 'stale', 'noarp']), spec.state ?? 'permanent', 'state'),
  };
}

/**
 * `net.ipv4.conf.all.rp_filter` → `net/ipv4/conf/all/rp_filter`. Keys containing `/` are taken as paths
 * already (needed when an interface name contains dots, e.g. `net/ipv4/conf/eth0.100/rp_filter`).
 */
export function sysctlPath(key: string): string {
  const path = key.includes('/') ? key : key.replaceAll('.', '/');
  const segments = path.split('/');
  const bad = segments.find((s) => !/^[A-Za-z0-9_.:@-]+$/.test(s) || s === '.' || s === '..');
  if (bad !== undefined || segments.length < 2) {
    throw new InvalidArgumentError('sysctl', `not a sysctl key: ${key}`);
  }
  return path;
}
