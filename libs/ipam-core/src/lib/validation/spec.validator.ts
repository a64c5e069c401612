import { tryParseCIDR, type CIDR } from '../cidr.js';
import { fieldForbidden, fieldInvalid, fieldNotSupported, type FieldError } from '@spiderpool/crd-types';
import { IPFormatError } from '../errors.js';
import { tryParseIP, type IPFamily } from '../ip-address.js';
import { parseIPRange, tryParseIPRange, type IPRange } from '../ip-range.js';
import { IPSet } from '../ip-set.js';
import { validateLabelSelector } from '../label-selector.js';
import {
  AUTO_POOL_AFFINITY_KEYS,
  LABEL_OWNER_APPLICATION_NAME,
  type LabelSelector,
  type Route,
  type SpiderIPPoolSpecView,
  type SpiderReservedIPSpecView,
  type SpiderSubnetSpecView,
} from '../model.js';

/**
 * The pure admission rules of crds.md (house style §11), each implemented once here with its rule ID. The webhook
 * runs them in upstream's order between its cluster-state checks; `validate*Spec` run them all for offline use
 * (a CLI validating files). Every function returns field errors, none throws on bad input.
 */

/** Which families the cluster enables (configmap `enableIPv4` / `enableIPv6`). */
export interface FamilyFlags {
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
}

/**
 * A spec as admission or a file hands it in, before its rules ran: `ipVersion` may be any number (IPP-V2 rejects
 * it), the rest is the view's shape.
 */
export type UnvalidatedSpec<T> = Omit<T, 'ipVersion'> & { readonly ipVersion?: number | null };

/** The address part shared by SpiderIPPool and SpiderSubnet specs. `subnet` may be missing on raw input. */
export type AddressSpecView = Omit<UnvalidatedSpec<SpiderSubnetSpecView>, 'subnet'> & {
  readonly subnet?: string | null;
};

/** The kinds whose `spec.ipVersion` the mutating webhook derives (IPP-M3, SUB-M3, RIP-M3). */
export type IPVersionedKind = 'SpiderIPPool' | 'SpiderSubnet' | 'SpiderReservedIP';

const IP_VERSION_DERIVED_FROM: Readonly<Record<IPVersionedKind, string>> = {
  SpiderIPPool: 'not generated correctly; spec.subnet may be invalid',
  SpiderSubnet: 'not generated correctly; spec.subnet may be invalid',
  SpiderReservedIP: 'not generated correctly; spec.ips is empty or spec.ips[0] may be invalid',
};

const reasonOf = (error: unknown): string => {
  if (error instanceof IPFormatError) return error.message;
  throw error;
};

/** IPP-V1…V3 / SUB-V1…V3 / RIP-V1…V3: ipVersion present (null means the mutator could not derive it), 4 or 6, enabled. */
export function validateIPVersion(
  ipVersion: unknown,
  flags: FamilyFlags,
  kind: IPVersionedKind,
): FieldError | undefined {
  if (ipVersion === undefined || ipVersion === null) {
    return fieldInvalid('spec.ipVersion', null, IP_VERSION_DERIVED_FROM[kind]);
  }
  if (ipVersion !== 4 && ipVersion !== 6) {
    return fieldNotSupported('spec.ipVersion', ipVersion, ['4', '6']);
  }
  if (ipVersion === 4 && !flags.enableIPv4) return fieldForbidden('spec.ipVersion', 'IPv4 is disabled');
  if (ipVersion === 6 && !flags.enableIPv6) return fieldForbidden('spec.ipVersion', 'IPv6 is disabled');
  return undefined;
}

/** IPP-V4/V5, SUB-V4/V5: `spec.subnet` is a CIDR of the family, in canonical form. */
export function validateSubnetCIDR(subnet: string | null | undefined, family: IPFamily): FieldError | undefined {
  const text = subnet ?? '';
  const cidr = tryParseCIDR(text, family);
  if (cidr === undefined) return fieldInvalid('spec.subnet', text, `invalid IPv${family} CIDR`);
  if (cidr.canonical !== text) {
    return fieldInvalid('spec.subnet', text, `not a canonical CIDR, use '${cidr.canonical}' instead`);
  }
  return undefined;
}

/** The outcome of a rule that also yields what later rules need. */
export type RuleResult<T> = { readonly error: FieldError } | { readonly error?: undefined; readonly value: T };

/** The pool range set of IPP-V7: the parsed subnet and the effective (total) IPs, `ips − excludeIPs`. */
export interface PoolRangeSet {
  readonly cidr: CIDR;
  readonly total: IPSet;
}

/**
 * IPP-V7, first stage: the pool's range set. Every `ips`/`excludeIPs` entry is a strict range (§1.1; upstream's
 * pool parser swapped reversed ranges, compat.md) inside `spec.subnet`; `ips` entries do not overlap. Any failure →
 * Invalid `spec.subnet` with the pool's own subnet as the value.
 */
export function validateIPPoolRanges(spec: AddressSpecView, family: IPFamily): RuleResult<PoolRangeSet> {
  const subnet = spec.subnet ?? '';
  const fail = (reason: string): RuleResult<PoolRangeSet> => ({ error: fieldInvalid('spec.subnet', subnet, reason) });
  const cidr = tryParseCIDR(subnet, family);
  if (cidr === undefined) return fail(`invalid IPv${family} CIDR '${subnet}'`);
  const parseAll = (entries: readonly string[]): IPRange[] | string => {
    const out: IPRange[] = [];
    for (const text of entries) {
      let range: IPRange;
      try {
        range = parseIPRange(text, family);
      } catch (error) {
        return reasonOf(error);
      }
      if (range.lo < cidr.lo || range.hi > cidr.hi) return `IP range '${text}' is not in base subnet '${subnet}'`;
      out.push(range);
    }
    return out;
  };
  const ipsText = spec.ips ?? [];
  const ips = parseAll(ipsText);
  if (typeof ips === 'string') return fail(ips);
  for (let i = 0; i < ips.length; i++) {
    for (let j = i + 1; j < ips.length; j++) {
      const a = ips[i] as IPRange;
      const b = ips[j] as IPRange;
      if (a.lo <= b.hi && b.lo <= a.hi) return fail(`IP range '${ipsText[i]}' overlaps with '${ipsText[j]}'`);
    }
  }
  const excludeIPs = parseAll(spec.excludeIPs ?? []);
  if (typeof excludeIPs === 'string') return fail(excludeIPs);
  const total = IPSet.fromIntervals(family, ips).subtract(IPSet.fromIntervals(family, excludeIPs));
  return { value: { cidr, total } };
}

/**
 * IPP-V8 / SUB-V10: the gateway is an IP of the family inside the subnet, and not handed out by `ips` unless an
 * `excludeIPs` entry holds it. Containment is numeric (upstream compares single IPs as strings, compat.md).
 */
export function validateGateway(spec: AddressSpecView, family: IPFamily): FieldError | undefined {
  const gateway = spec.gateway;
  if (gateway === undefined || gateway === null) return undefined;
  const ip = tryParseIP(gateway);
  if (ip === undefined || ip.family !== family) {
    return fieldInvalid('spec.gateway', gateway, `invalid IPv${family} address`);
  }
  const cidr = tryParseCIDR(spec.subnet ?? '', family);
  if (cidr === undefined || ip.value < cidr.lo || ip.value > cidr.hi) {
    return fieldInvalid('spec.gateway', gateway, `does not belong to spec.subnet '${spec.subnet ?? ''}'`);
  }
  const contains = (text: string): boolean => {
    const range = tryParseIPRange(text, family);
    return range !== undefined && ip.value >= range.lo && ip.value <= range.hi;
  };
  if ((spec.excludeIPs ?? []).some(contains)) return undefined;
  const ips = spec.ips ?? [];
  const index = ips.findIndex(contains);
  if (index < 0) return undefined;
  return fieldInvalid(
    `spec.ips[${index}]`,
    ips[index],
    `conflicts with spec.gateway '${gateway}', add it to spec.excludeIPs or remove it from spec.ips`,
  );
}

/**
 * IPP-V9 / SUB-V11: routes, in order, first failure wins: no default route, unique dst, dst a CIDR of the family
 * (canonical form not required), gw an IP of the family inside `subnet`.
 */
export function validateRoutes(
  routes: readonly Route[],
  family: IPFamily,
  subnet: CIDR | string | null | undefined,
): FieldError | undefined {
  const cidr = typeof subnet === 'string' || subnet == null ? tryParseCIDR(subnet ?? '', family) : subnet;
  const subnetText = typeof subnet === 'string' ? subnet : (subnet?.canonical ?? '');
  const seen = new Set<string>();
  for (const [i, route] of routes.entries()) {
    const dst = `spec.routes[${i}].dst`;
    const gw = `spec.routes[${i}].gw`;
    if (route.dst === (family === 4 ? '0.0.0.0/0' : '::/0')) {
      return fieldInvalid(dst, route.dst, 'the default route must be configured through spec.gateway');
    }
    if (seen.has(route.dst)) return fieldInvalid(dst, route.dst, 'duplicate route with the same dst');
    seen.add(route.dst);
    if (tryParseCIDR(route.dst, family) === undefined) return fieldInvalid(dst, route.dst, `invalid IPv${family} CIDR`);
    const ip = tryParseIP(route.gw);
    if (ip === undefined || ip.family !== family) return fieldInvalid(gw, route.gw, `invalid IPv${family} address`);
    if (cidr === undefined || ip.value < cidr.lo || ip.value > cidr.hi) {
      return fieldInvalid(gw, route.gw, `does not belong to spec.subnet '${subnetText}'`);
    }
  }
  return undefined;
}

/**
 * IPP-V7 (first stage), IPP-V8, IPP-V9: the pool spec chain; only the first failure is reported. On success it
 * yields the range set (for the sibling-overlap stage of IPP-V7, IPP-U5 and IPP-V11, which need cluster state).
 */
export function validateIPPoolSpecChain(spec: AddressSpecView, family: IPFamily): RuleResult<PoolRangeSet> {
  const ranges = validateIPPoolRanges(spec, family);
  if (ranges.error !== undefined) return ranges;
  const error = validateGateway(spec, family) ?? validateRoutes(spec.routes ?? [], family, spec.subnet);
  return error === undefined ? ranges : { error };
}

/** IPP-V7, second stage (pure part): the effective ranges of two pools intersect. */
export function poolRangesOverlap(a: PoolRangeSet, b: PoolRangeSet): boolean {
  return a.total.overlaps(b.total);
}

/**
 * IPP-V10: podAffinity. An auto-created pool (label `owner-application-name`) may only use the five reserved app
 * keys in matchLabels and no matchExpressions; a normal pool needs a valid, non-empty selector.
 */
export function validatePodAffinity(
  selector: LabelSelector | null | undefined,
  labels: Readonly<Record<string, string>> | null | undefined,
): FieldError[] {
  if (selector === undefined || selector === null) return [];
  if (labels?.[LABEL_OWNER_APPLICATION_NAME] !== undefined) {
    const errors = Object.keys(selector.matchLabels ?? {})
      .filter((key) => !AUTO_POOL_AFFINITY_KEYS.includes(key))
      .map((key) =>
        fieldInvalid('spec.podAffinity', key, 'additional matchLabels are not allowed for an auto-created IPPool'),
      );
    if ((selector.matchExpressions ?? []).length > 0) {
      errors.push(
        fieldInvalid(
          'spec.podAffinity',
          selector.matchExpressions,
          'matchExpressions are not allowed for an auto-created IPPool',
        ),
      );
    }
    return errors;
  }
  const errors = validateLabelSelector(selector, 'spec.podAffinity');
  if (
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  ) {
    errors.push(fieldInvalid('spec.podAffinity', selector, 'an empty podAffinity is not valid'));
  }
  return errors;
}

/** SUB-V8 / SUB-V9: each entry a strict range of the family inside the subnet, reported at its own index. */
export function validateSubnetEntries(
  spec: AddressSpecView,
  field: 'ips' | 'excludeIPs',
  family: IPFamily,
): FieldError | undefined {
  const subnet = spec.subnet ?? '';
  const cidr = tryParseCIDR(subnet, family);
  for (const [i, text] of (spec[field] ?? []).entries()) {
    const path = `spec.${field}[${i}]`;
    let range: IPRange;
    try {
      range = parseIPRange(text, family);
    } catch (error) {
      return fieldInvalid(path, text, reasonOf(error));
    }
    if (cidr === undefined || range.lo < cidr.lo || range.hi > cidr.hi) {
      return fieldInvalid(path, text, `does not belong to spec.subnet '${subnet}'`);
    }
  }
  return undefined;
}

/** SUB-V8…V11: the subnet spec chain; only the first failure is reported. */
export function validateSubnetSpecChain(spec: AddressSpecView, family: IPFamily): FieldError | undefined {
  return (
    validateSubnetEntries(spec, 'ips', family) ??
    validateSubnetEntries(spec, 'excludeIPs', family) ??
    validateGateway(spec, family) ??
    validateRoutes(spec.routes ?? [], family, spec.subnet)
  );
}

/** RIP-V4: the first entry that is not a strict IP range of the family. */
export function validateReservedIPEntries(
  ips: readonly string[] | null | undefined,
  family: IPFamily,
): FieldError | undefined {
  for (const [i, text] of (ips ?? []).entries()) {
    try {
      parseIPRange(text, family);
    } catch (error) {
      return fieldInvalid(`spec.ips[${i}]`, text, reasonOf(error));
    }
  }
  return undefined;
}

/**
 * All pure checks of a SpiderIPPool spec (crds.md §2.6: IPP-V1…V5, V7 without sibling pools, V8, V9, V10). Checks
 * needing cluster state (IPP-V6, the sibling stage of V7, V11, IPs in use) live in the webhook.
 */
export function validateIPPoolSpec(
  spec: UnvalidatedSpec<SpiderIPPoolSpecView>,
  flags: FamilyFlags,
  labels: Readonly<Record<string, string>> = {},
): FieldError[] {
  const version = validateIPVersion(spec.ipVersion, flags, 'SpiderIPPool');
  if (version !== undefined) return [version];
  const family = spec.ipVersion as IPFamily;
  const cidr = validateSubnetCIDR(spec.subnet, family);
  if (cidr !== undefined) return [cidr];
  const chain = validateIPPoolSpecChain(spec, family);
  return [...(chain.error === undefined ? [] : [chain.error]), ...validatePodAffinity(spec.podAffinity, labels)];
}

/** All pure checks of a SpiderSubnet spec (crds.md §3.6: SUB-V1…V5, V8…V11; V6/V7 need the cluster). */
export function validateSubnetSpec(spec: UnvalidatedSpec<SpiderSubnetSpecView>, flags: FamilyFlags): FieldError[] {
  const version = validateIPVersion(spec.ipVersion, flags, 'SpiderSubnet');
  if (version !== undefined) return [version];
  const family = spec.ipVersion as IPFamily;
  const error = validateSubnetCIDR(spec.subnet, family) ?? validateSubnetSpecChain(spec, family);
  return error === undefined ? [] : [error];
}

/** The checks of a SpiderReservedIP spec (crds.md §4.4: RIP-V1…V4). */
export function validateReservedIPSpec(spec: UnvalidatedSpec<SpiderReservedIPSpecView>, flags: FamilyFlags): FieldError[] {
  const version = validateIPVersion(spec.ipVersion, flags, 'SpiderReservedIP');
  if (version !== undefined) return [version];
  const error = validateReservedIPEntries(spec.ips, spec.ipVersion as IPFamily);
  return error === undefined ? [] : [error];
}

/** Total IPs of a pool or subnet (`ips − excludeIPs`, crds.md §1.2). Throws IPFormatError on a bad entry. */
export function totalIPs(spec: AddressSpecView, family: IPFamily): IPSet {
  return IPSet.fromRanges(family, spec.ips ?? []).subtract(IPSet.fromRanges(family, spec.excludeIPs ?? []));
}

/** `totalIPs`, or undefined when an entry is not a strict range of the family (SUB-U4, IPP-V11). */
export function tryTotalIPs(spec: AddressSpecView, family: IPFamily): IPSet | undefined {
  try {
    return totalIPs(spec, family);
  } catch (error) {
    if (error instanceof IPFormatError) return undefined;
    throw error;
  }
}

/** The family of a CIDR text (IPP-M3 / SUB-M3), or undefined when it does not parse. */
export function familyOfCIDR(subnet: string): IPFamily | undefined {
  return tryParseCIDR(subnet)?.family;
}

/** The family of a reserved-IP list (RIP-M3): from `ips[0]` when it is a strict range. */
export function familyOfRanges(ips: readonly string[]): IPFamily | undefined {
  const first = ips[0];
  return first === undefined ? undefined : tryParseIPRange(first)?.family;
}
