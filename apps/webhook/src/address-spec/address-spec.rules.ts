// Pure rules shared by SpiderIPPool and SpiderSubnet specs (crds.md §2.6, §3.6). Move to ipam-core `validation`
// when it offers them; they take plain data and return field errors.
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  type FieldError,
} from '../admission/field-error.js';
import type { FeatureFlags } from '../config/schema.js';
import {
  canonicalCIDR,
  intervalsContain,
  intervalsIntersect,
  parseCIDROfFamily,
  parseIPOfFamily,
  parseIPRange,
  subtractIntervals,
  type IPFamily,
  type IPInterval,
  type ParsedCIDR,
} from '../ip/ip-range.js';

export interface Route {
  dst: string;
  gw: string;
}

/** The address part of an IPPool / Subnet spec (a narrowing of the crd-types shapes). */
export interface AddressSpec {
  ipVersion?: number | null;
  subnet?: string;
  ips?: string[] | null;
  excludeIPs?: string[] | null;
  gateway?: string | null;
  routes?: Route[] | null;
}

/** IPP-V1..V3 / SUB-V1..V3 / RIP-V1..V3: ipVersion present, 4 or 6, family enabled. */
export function checkIPVersion(
  ipVersion: unknown,
  flags: Pick<FeatureFlags, 'enableIPv4' | 'enableIPv6'>,
  nullDetail: string,
): FieldError | null {
  if (ipVersion === null || ipVersion === undefined) return fieldInvalid('spec.ipVersion', null, nullDetail);
  if (ipVersion !== 4 && ipVersion !== 6) return fieldNotSupported('spec.ipVersion', ipVersion, ['4', '6']);
  if (ipVersion === 4 && !flags.enableIPv4) return fieldForbidden('spec.ipVersion', 'IPv4 is disabled');
  if (ipVersion === 6 && !flags.enableIPv6) return fieldForbidden('spec.ipVersion', 'IPv6 is disabled');
  return null;
}

/** IPP-V4/V5, SUB-V4/V5: a canonical CIDR of the family. */
export function checkSubnetCIDR(family: IPFamily, subnet: string | undefined): FieldError | null {
  const text = subnet ?? '';
  const cidr = parseCIDROfFamily(text, family);
  if (cidr === null) return fieldInvalid('spec.subnet', text, `invalid IPv${family} CIDR`);
  const canonical = canonicalCIDR(cidr);
  if (canonical !== text) {
    return fieldInvalid('spec.subnet', text, `not a canonical CIDR, use '${canonical}' instead`);
  }
  return null;
}

export interface PoolRangeSet {
  readonly cidr: ParsedCIDR;
  readonly ips: IPInterval[];
  readonly excludeIPs: IPInterval[];
  /** ips minus excludeIPs. */
  readonly total: IPInterval[];
}

/**
 * IPP-V7 first stage: the IPPool range set, with the one strict range parser (reversed ranges rejected; upstream
 * swapped them, compat.md), strict about
 * containment in `spec.subnet` for ips and excludeIPs, and rejects overlapping `ips` entries.
 */
export function buildPoolRangeSet(family: IPFamily, spec: AddressSpec): { ok: true; set: PoolRangeSet } | { ok: false; reason: string } {
  const cidr = parseCIDROfFamily(spec.subnet ?? '', family);
  if (cidr === null) return { ok: false, reason: `invalid IPv${family} CIDR '${spec.subnet ?? ''}'` };
  const parseAll = (entries: readonly string[]): IPInterval[] | string => {
    const out: IPInterval[] = [];
    for (const e of entries) {
      const r = parseIPRange(e, family);
      if (!r.ok) return r.reason;
      if (r.interval.start < cidr.first || r.interval.end > cidr.last) {
        return `IP range '${e}' is not in base subnet '${spec.subnet ?? ''}'`;
      }
      out.push(r.interval);
    }
    return out;
  };
  const ips = parseAll(spec.ips ?? []);
  if (typeof ips === 'string') return { ok: false, reason: ips };
  for (let i = 0; i < ips.length; i++) {
    for (let j = i + 1; j < ips.length; j++) {
      const a = ips[i] as IPInterval;
      const b = ips[j] as IPInterval;
      if (a.start <= b.end && b.start <= a.end) {
        return { ok: false, reason: `IP range '${spec.ips?.[i]}' overlaps with '${spec.ips?.[j]}'` };
      }
    }
  }
  const excludeIPs = parseAll(spec.excludeIPs ?? []);
  if (typeof excludeIPs === 'string') return { ok: false, reason: excludeIPs };
  return { ok: true, set: { cidr, ips, excludeIPs, total: subtractIntervals(ips, excludeIPs) } };
}

/** Total IPs (§1.2) with the strict range parser (subnet side, SUB-U4). Null on a parse error. */
export function strictTotal(family: IPFamily, spec: AddressSpec): IPInterval[] | null {
  const parse = (entries: readonly string[]): IPInterval[] | null => {
    const out: IPInterval[] = [];
    for (const e of entries) {
      const r = parseIPRange(e, family);
      if (!r.ok) return null;
      out.push(r.interval);
    }
    return out;
  };
  const ips = parse(spec.ips ?? []);
  const ex = parse(spec.excludeIPs ?? []);
  return ips === null || ex === null ? null : subtractIntervals(ips, ex);
}

/**
 * IPP-V8 / SUB-V10: gateway inside the subnet and not handed out by `ips` unless excluded.
 * Deliberate difference (compat.md): a single-IP entry is compared numerically, not as a string.
 */
export function checkGateway(family: IPFamily, spec: AddressSpec): FieldError | null {
  if (spec.gateway === null || spec.gateway === undefined) return null;
  const gw = parseIPOfFamily(spec.gateway, family);
  if (gw === null) return fieldInvalid('spec.gateway', spec.gateway, `invalid IPv${family} address`);
  const cidr = parseCIDROfFamily(spec.subnet ?? '', family);
  if (cidr === null || gw.value < cidr.first || gw.value > cidr.last) {
    return fieldInvalid('spec.gateway', spec.gateway, `does not belong to spec.subnet '${spec.subnet ?? ''}'`);
  }
  const contains = (entry: string): boolean => {
    const r = parseIPRange(entry, family);
    return r.ok && intervalsContain([r.interval], gw.value);
  };
  if ((spec.excludeIPs ?? []).some(contains)) return null;
  const i = (spec.ips ?? []).findIndex(contains);
  if (i >= 0) {
    return fieldInvalid(
      `spec.ips[${i}]`,
      spec.ips?.[i],
      `conflicts with spec.gateway '${spec.gateway}', add it to spec.excludeIPs or remove it from spec.ips`,
    );
  }
  return null;
}

/** IPP-V9 / SUB-V11: routes. First failure wins. */
export function checkRoutes(family: IPFamily, spec: AddressSpec): FieldError | null {
  const routes = spec.routes ?? [];
  const cidr = parseCIDROfFamily(spec.subnet ?? '', family);
  const seen = new Set<string>();
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i] as Route;
    const dstPath = `spec.routes[${i}].dst`;
    if (r.dst === (family === 4 ? '0.0.0.0/0' : '::/0')) {
      return fieldInvalid(dstPath, r.dst, 'the default route must be configured through spec.gateway');
    }
    if (seen.has(r.dst)) return fieldInvalid(dstPath, r.dst, 'duplicate route with the same dst');
    seen.add(r.dst);
    if (parseCIDROfFamily(r.dst, family) === null) return fieldInvalid(dstPath, r.dst, `invalid IPv${family} CIDR`);
    const gw = parseIPOfFamily(r.gw, family);
    if (gw === null) return fieldInvalid(`spec.routes[${i}].gw`, r.gw, `invalid IPv${family} address`);
    if (cidr === null || gw.value < cidr.first || gw.value > cidr.last) {
      return fieldInvalid(`spec.routes[${i}].gw`, r.gw, `does not belong to spec.subnet '${spec.subnet ?? ''}'`);
    }
  }
  return null;
}

/** Effective ranges of two pools intersect (IPP-V7 second stage). */
export const totalsOverlap = (a: PoolRangeSet, b: PoolRangeSet): boolean => intervalsIntersect(a.total, b.total);
