import { tryParseCIDR, type CIDR } from '../cidr.js';
import { IPFormatError, type FieldError } from '../errors.js';
import { tryParseIP, type IPFamily } from '../ip-address.js';
import { parseIPRange, type IPRange } from '../ip-range.js';
import { IPSet } from '../ip-set.js';
import { validateLabelSelector } from '../label-selector.js';
import {
  AUTO_POOL_AFFINITY_KEYS,
  LABEL_OWNER_APPLICATION_NAME,
  type Route,
  type SpiderIPPoolSpecView,
  type SpiderReservedIPSpecView,
  type SpiderSubnetSpecView,
} from '../model.js';

/** Which families the cluster enables (configmap `enableIPv4` / `enableIPv6`). */
export interface FamilyFlags {
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
}

const err = (path: string, type: FieldError['type'], detail: string): FieldError => ({ path, type, detail });

/** IPP-V1…V3 / SUB-V1…V3 / RIP-V1…V3: ipVersion present, supported, enabled. */
function checkIPVersion(
  ipVersion: number | null | undefined,
  flags: FamilyFlags,
  missingDetail: string,
): FieldError | IPFamily {
  if (ipVersion === undefined || ipVersion === null) return err('spec.ipVersion', 'Invalid', missingDetail);
  if (ipVersion !== 4 && ipVersion !== 6)
    return err('spec.ipVersion', 'NotSupported', `${ipVersion}: supported values: "4", "6"`);
  if (ipVersion === 4 && !flags.enableIPv4) return err('spec.ipVersion', 'Forbidden', 'IPv4 is disabled');
  if (ipVersion === 6 && !flags.enableIPv6) return err('spec.ipVersion', 'Forbidden', 'IPv6 is disabled');
  return ipVersion;
}

/** IPP-V4/V5, SUB-V4/V5: a CIDR of the family, in canonical form. */
function checkSubnet(subnet: string, family: IPFamily): FieldError | CIDR {
  const cidr = tryParseCIDR(subnet, family);
  if (cidr === undefined) return err('spec.subnet', 'Invalid', `${subnet}: invalid IPv${family} CIDR`);
  if (cidr.canonical !== subnet) {
    return err('spec.subnet', 'Invalid', `${subnet}: not a canonical CIDR, use ${cidr.canonical}`);
  }
  return cidr;
}

function rangeInside(text: string, family: IPFamily, cidr: CIDR): IPRange {
  const range = parseIPRange(text, family);
  if (range.lo < cidr.lo || range.hi > cidr.hi) {
    throw new IPFormatError(`${text} does not belong to spec.subnet ${cidr.canonical}`);
  }
  return range;
}

/** IPP-V7 (pure part): every ips/excludeIPs entry a strict range inside the subnet; ips entries disjoint. */
function checkAvailableIPs(
  spec: SpiderIPPoolSpecView | SpiderSubnetSpecView,
  family: IPFamily,
  cidr: CIDR,
): FieldError | undefined {
  const ranges: Array<{ text: string; range: IPRange }> = [];
  for (const [field, list] of [
    ['ips', spec.ips ?? []],
    ['excludeIPs', spec.excludeIPs ?? []],
  ] as const) {
    for (const text of list) {
      try {
        const range = rangeInside(text, family, cidr);
        if (field === 'ips') ranges.push({ text, range });
      } catch (error) {
        if (!(error instanceof IPFormatError)) throw error;
        return err('spec.subnet', 'Invalid', `spec.${field} entry ${error.message}`);
      }
    }
  }
  ranges.sort((a, b) => (a.range.lo < b.range.lo ? -1 : a.range.lo > b.range.lo ? 1 : 0));
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1] as { text: string; range: IPRange };
    const cur = ranges[i] as { text: string; range: IPRange };
    if (cur.range.lo <= prev.range.hi) {
      return err('spec.subnet', 'Invalid', `spec.ips entries ${prev.text} and ${cur.text} overlap`);
    }
  }
  return undefined;
}

/** SUB-V8/V9: each entry a strict range of the family inside the subnet, reported at its own index. */
function checkSubnetRanges(
  list: readonly string[],
  field: 'ips' | 'excludeIPs',
  family: IPFamily,
  cidr: CIDR,
): FieldError | undefined {
  for (const [i, text] of list.entries()) {
    try {
      rangeInside(text, family, cidr);
    } catch (error) {
      if (!(error instanceof IPFormatError)) throw error;
      return err(`spec.${field}[${i}]`, 'Invalid', error.message);
    }
  }
  return undefined;
}

/** IPP-V8: gateway is an IP of the family inside the subnet, and not inside `ips` unless excluded (numeric test). */
function checkGateway(
  spec: SpiderIPPoolSpecView | SpiderSubnetSpecView,
  family: IPFamily,
  cidr: CIDR,
): FieldError | undefined {
  const gateway = spec.gateway;
  if (gateway === undefined || gateway === null) return undefined;
  const ip = tryParseIP(gateway);
  if (ip === undefined || ip.family !== family)
    return err('spec.gateway', 'Invalid', `${gateway}: not an IPv${family} address`);
  if (ip.value < cidr.lo || ip.value > cidr.hi) {
    return err('spec.gateway', 'Invalid', `${gateway} does not belong to spec.subnet ${cidr.canonical}`);
  }
  const contains = (text: string): boolean => {
    try {
      const r = parseIPRange(text, family);
      return ip.value >= r.lo && ip.value <= r.hi;
    } catch {
      return false;
    }
  };
  if ((spec.excludeIPs ?? []).some(contains)) return undefined;
  const index = (spec.ips ?? []).findIndex(contains);
  if (index >= 0) {
    return err(
      `spec.ips[${index}]`,
      'Invalid',
      `${(spec.ips ?? [])[index]} conflicts with spec.gateway ${gateway}; add it to excludeIPs or remove it from ips`,
    );
  }
  return undefined;
}

/** IPP-V9: no default route, unique dst, dst a CIDR of the family, gw an IP inside the subnet. */
export function validateRoutes(
  routes: readonly Route[],
  family: IPFamily,
  cidr: CIDR,
): FieldError | undefined {
  const seen = new Set<string>();
  for (const [i, route] of routes.entries()) {
    const at = `spec.routes[${i}]`;
    if (route.dst === (family === 4 ? '0.0.0.0/0' : '::/0')) {
      return err(
        `${at}.dst`,
        'Invalid',
        `${route.dst}: configure the default route through spec.gateway instead`,
      );
    }
    if (seen.has(route.dst))
      return err(`${at}.dst`, 'Invalid', `${route.dst}: duplicate route with the same dst`);
    seen.add(route.dst);
    if (tryParseCIDR(route.dst, family) === undefined)
      return err(`${at}.dst`, 'Invalid', `${route.dst}: not an IPv${family} CIDR`);
    const gw = tryParseIP(route.gw);
    if (gw === undefined || gw.family !== family || gw.value < cidr.lo || gw.value > cidr.hi) {
      return err(
        `${at}.gw`,
        'Invalid',
        `${route.gw}: not an IPv${family} address inside spec.subnet ${cidr.canonical}`,
      );
    }
  }
  return undefined;
}

/** IPP-V10: podAffinity of an auto pool (only the five app keys) or of a normal pool (valid, non-empty). */
function checkPodAffinity(
  spec: SpiderIPPoolSpecView,
  labels: Readonly<Record<string, string>>,
): FieldError[] {
  const selector = spec.podAffinity;
  if (selector === undefined || selector === null) return [];
  if (labels[LABEL_OWNER_APPLICATION_NAME] !== undefined) {
    const errors = Object.keys(selector.matchLabels ?? {})
      .filter((k) => !AUTO_POOL_AFFINITY_KEYS.includes(k))
      .map((k) =>
        err(
          'spec.podAffinity',
          'Invalid',
          `${k}: additional matchLabels are not allowed for an auto-created pool`,
        ),
      );
    if ((selector.matchExpressions ?? []).length > 0) {
      errors.push(
        err('spec.podAffinity', 'Invalid', 'matchExpressions are not allowed for an auto-created pool'),
      );
    }
    return errors;
  }
  const errors = validateLabelSelector(selector, 'spec.podAffinity');
  if (
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  ) {
    errors.push(err('spec.podAffinity', 'Invalid', 'an empty podAffinity is not valid'));
  }
  return errors;
}

/**
 * The pure checks of a SpiderIPPool spec (crds.md §2.6: IPP-V1…V5, V7 without sibling pools, V8, V9, V10). Checks
 * needing cluster state (overlaps with other pools, the controlling subnet, IPs in use) live in the webhook.
 */
export function validateIPPoolSpec(
  spec: SpiderIPPoolSpecView,
  flags: FamilyFlags,
  labels: Readonly<Record<string, string>> = {},
): FieldError[] {
  const family = checkIPVersion(spec.ipVersion, flags, 'not generated correctly; spec.subnet may be invalid');
  if (typeof family !== 'number') return [family];
  const cidr = checkSubnet(spec.subnet, family);
  if ('path' in cidr) return [cidr];
  const chain =
    checkAvailableIPs(spec, family, cidr) ??
    checkGateway(spec, family, cidr) ??
    validateRoutes(spec.routes ?? [], family, cidr);
  return [...(chain === undefined ? [] : [chain]), ...checkPodAffinity(spec, labels)];
}

/** The pure checks of a SpiderSubnet spec (crds.md §3.6: SUB-V1…V5, V8…V11). */
export function validateSubnetSpec(spec: SpiderSubnetSpecView, flags: FamilyFlags): FieldError[] {
  const family = checkIPVersion(spec.ipVersion, flags, 'not generated correctly; spec.subnet may be invalid');
  if (typeof family !== 'number') return [family];
  const cidr = checkSubnet(spec.subnet, family);
  if ('path' in cidr) return [cidr];
  const chain =
    checkSubnetRanges(spec.ips ?? [], 'ips', family, cidr) ??
    checkSubnetRanges(spec.excludeIPs ?? [], 'excludeIPs', family, cidr) ??
    checkGateway(spec, family, cidr) ??
    validateRoutes(spec.routes ?? [], family, cidr);
  return chain === undefined ? [] : [chain];
}

/** The checks of a SpiderReservedIP spec (crds.md §4.4: RIP-V1…V4). */
export function validateReservedIPSpec(spec: SpiderReservedIPSpecView, flags: FamilyFlags): FieldError[] {
  const family = checkIPVersion(
    spec.ipVersion,
    flags,
    'not generated correctly; spec.ips is empty or spec.ips[0] may be invalid',
  );
  if (typeof family !== 'number') return [family];
  for (const [i, text] of (spec.ips ?? []).entries()) {
    try {
      parseIPRange(text, family);
    } catch (error) {
      if (!(error instanceof IPFormatError)) throw error;
      return [err(`spec.ips[${i}]`, 'Invalid', error.message)];
    }
  }
  return [];
}

/** Total IPs of a pool or subnet (`ips − excludeIPs`, crds.md §1.2). Throws IPFormatError on a bad entry. */
export function totalIPs(spec: SpiderIPPoolSpecView | SpiderSubnetSpecView, family: IPFamily): IPSet {
  return IPSet.fromRanges(family, spec.ips ?? []).subtract(IPSet.fromRanges(family, spec.excludeIPs ?? []));
}

/** The family of a CIDR text (IPP-M3 / SUB-M3), or undefined when it does not parse. */
export function familyOfCIDR(subnet: string): IPFamily | undefined {
  return tryParseCIDR(subnet)?.family;
}

/** The family of a reserved-IP list (RIP-M3): from `ips[0]` when it is a strict range. */
export function familyOfRanges(ips: readonly string[]): IPFamily | undefined {
  const first = ips[0];
  if (first === undefined) return undefined;
  try {
    return parseIPRange(first).family;
  } catch {
    return undefined;
  }
}
