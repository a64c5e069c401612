import { z } from 'zod';
import type { ControlledIPPool } from './allocated-ips.codec.js';
import { parseAnnotationJson, wrongAnnotation } from './annotation-input.js';
import { cidrLabelValue } from './cidr.js';
import { InvalidSpecError, IpamError } from './errors.js';
import type { IPFamily } from './ip-address.js';
import { tryParseIP } from './ip-address.js';
import { IPSet } from './ip-set.js';
import {
  ANNOTATION_IPPOOL_IP_NUMBER,
  ANNOTATION_IPPOOL_RECLAIM,
  ANNOTATION_SUBNET,
  ANNOTATION_SUBNETS,
  LABEL_APP_API_GROUP,
  LABEL_APP_API_VERSION,
  LABEL_APP_KIND,
  LABEL_APP_NAME,
  LABEL_APP_NAMESPACE,
  LABEL_OWNER_APPLICATION_NAME,
} from './model.js';

/**
 * Pure pieces of SpiderSubnet auto-created pools (ipam.md §7.1–§7.3): the workload annotations, the pool name and
 * labels, the desired size, and which subnet IPs the pool gets when it grows or shrinks. No I/O.
 */

// Label keys of auto-created pools, declared in crd-types and kept under these names.
import {
  LABEL_OWNER_SPIDER_SUBNET,
  LABEL_OWNER_APPLICATION_GV,
  LABEL_OWNER_APPLICATION_KIND,
  LABEL_OWNER_APPLICATION_NAMESPACE,
  LABEL_OWNER_APPLICATION_UID,
  LABEL_INTERFACE as LABEL_AUTO_POOL_INTERFACE,
  LABEL_IP_VERSION as LABEL_AUTO_POOL_IP_VERSION,
  LABEL_IPPOOL_RECLAIM as LABEL_AUTO_POOL_RECLAIM,
  LABEL_IPPOOL_CIDR as LABEL_AUTO_POOL_CIDR,
} from '@spiderpool/crd-types';

export {
  LABEL_OWNER_SPIDER_SUBNET,
  LABEL_OWNER_APPLICATION_GV,
  LABEL_OWNER_APPLICATION_KIND,
  LABEL_OWNER_APPLICATION_NAMESPACE,
  LABEL_OWNER_APPLICATION_UID,
  LABEL_AUTO_POOL_INTERFACE,
  LABEL_AUTO_POOL_IP_VERSION,
  LABEL_AUTO_POOL_RECLAIM,
  LABEL_AUTO_POOL_CIDR,
};

/** Identity of a pod's top controller (a workload), as recorded on its auto pools. */
export interface ApplicationRef {
  /** `apps/v1`, `batch/v1`, `v1`, `kubevirt.io/v1`, ... */
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** Auto-pool sizing annotation: fixed `N`, or `+N` = replicas + N. */
export interface AutoPoolIPNumber {
  readonly flexible: boolean;
  readonly count: number;
}

/** One NIC of the workload's subnet annotation, with the subnet per enabled family. */
export interface WorkloadSubnetItem {
  readonly nic: string;
  readonly ipv4Subnet?: string;
  readonly ipv6Subnet?: string;
}

export interface WorkloadSubnetConfig {
  readonly items: readonly WorkloadSubnetItem[];
  /** Undefined when `ippool-ip-number` is absent (the cluster default redundancy applies). */
  readonly ipNumber?: AutoPoolIPNumber;
  readonly reclaim: boolean;
}

/** Raised when an auto pool cannot get the IPs it needs (upstream `ErrFreeIPsNotEnough` / insufficient FreeIPs). */
export class AutoPoolIPsError extends IpamError {
  readonly code: 'FreeIPsNotEnough' | 'SubnetIPsInsufficient';

  constructor(code: 'FreeIPsNotEnough' | 'SubnetIPsInsufficient', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}


/** Go `strconv.ParseBool`. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** `ippool-ip-number`: `N` or `+N`, N an integer ≥ 0, at most one `+`. */
export function parseAutoPoolIPNumber(text: string): AutoPoolIPNumber {
  const m = /^(\+?)([0-9]+)$/.exec(text);
  if (m === null) throw wrongAnnotation(ANNOTATION_IPPOOL_IP_NUMBER, `'${text}' is not N or +N with N >= 0`);
  return { flexible: m[1] === '+', count: Number(m[2]) };
}

export function formatAutoPoolIPNumber(n: AutoPoolIPNumber): string {
  return `${n.flexible ? '+' : ''}${n.count}`;
}

const names = z.array(z.string()).nullish();
const itemSchema = z.object({ interface: z.string().nullish(), ipv4: names, ipv6: names });

/**
 * The subnet configuration of a workload's pod template (ipam.md §2.1, §7.4 step 1 / §7.5): `subnets` beats
 * `subnet`; only the first subnet name per family counts; families disabled in the cluster are dropped.
 * Returns undefined when neither annotation is present; throws InvalidSpecError on malformed input.
 */
export function parseWorkloadSubnetConfig(
  annotations: Readonly<Record<string, string>> | null | undefined,
  families: { readonly enableIPv4: boolean; readonly enableIPv6: boolean },
): WorkloadSubnetConfig | undefined {
  const anno = annotations ?? {};
  const multi = anno[ANNOTATION_SUBNETS];
  const single = anno[ANNOTATION_SUBNET];
  if (multi === undefined && single === undefined) return undefined;
  const numberText = anno[ANNOTATION_IPPOOL_IP_NUMBER];
  const ipNumber = numberText === undefined ? undefined : parseAutoPoolIPNumber(numberText);
  const reclaimText = anno[ANNOTATION_IPPOOL_RECLAIM];
  const reclaim = reclaimText === undefined ? true : parseGoBool(reclaimText);
  if (reclaim === undefined) throw wrongAnnotation(ANNOTATION_IPPOOL_RECLAIM, `'${reclaimText}' is not a boolean`);

  const build = (nic: string, v4?: string | undefined, v6?: string | undefined): WorkloadSubnetItem => ({
    nic,
    ...(families.enableIPv4 && v4 !== undefined ? { ipv4Subnet: v4 } : {}),
    ...(families.enableIPv6 && v6 !== undefined ? { ipv6Subnet: v6 } : {}),
  });
  let items: WorkloadSubnetItem[];
  if (multi !== undefined) {
    const parsed = parseAnnotationJson(ANNOTATION_SUBNETS, multi, z.array(itemSchema));
    const seen = new Set<string>();
    const used = { 4: new Set<string>(), 6: new Set<string>() };
    items = parsed.map((item) => {
      const nic = item.interface ?? '';
      if (seen.has(nic)) throw wrongAnnotation(ANNOTATION_SUBNETS, `duplicate interface '${nic}'`);
      seen.add(nic);
      const v4 = item.ipv4?.[0];
      const v6 = item.ipv6?.[0];
      if (v4 === undefined && v6 === undefined)
        throw wrongAnnotation(ANNOTATION_SUBNETS, `interface '${nic}' names no subnet`);
      for (const [family, subnet] of [
        [4, v4],
        [6, v6],
      ] as const) {
        if (subnet === undefined) continue;
        if (subnet === '') throw wrongAnnotation(ANNOTATION_SUBNETS, 'empty subnet name');
        if (used[family].has(subnet)) throw wrongAnnotation(ANNOTATION_SUBNETS, `subnet '${subnet}' used twice`);
        used[family].add(subnet);
      }
      return build(nic, v4, v6);
    });
  } else {
    const item = parseAnnotationJson(ANNOTATION_SUBNET, single as string, itemSchema);
    const v4 = item.ipv4?.[0];
    const v6 = item.ipv6?.[0];
    if (v4 === '' || v6 === '') throw wrongAnnotation(ANNOTATION_SUBNET, 'empty subnet name');
    items = [build(item.interface ?? 'eth0', v4, v6)];
  }
  return {
    items: items.filter((i) => i.ipv4Subnet !== undefined || i.ipv6Subnet !== undefined),
    ...(ipNumber === undefined ? {} : { ipNumber }),
    reclaim,
  };
}

/** `jobPods(parallelism, completions)` of ipam.md §7.2. */
export function jobPods(parallelism?: number | null, completions?: number | null): number {
  const atLeastOne = (n: number): number => (n === 0 ? 1 : n);
  if (completions !== undefined && completions !== null) return atLeastOne(completions);
  if (parallelism !== undefined && parallelism !== null) return atLeastOne(parallelism);
  return 1;
}

/** Desired pool size computed by the controller (ipam.md §7.2, controller row). */
export function desiredAutoPoolSize(input: {
  readonly replicas: number;
  readonly ipNumber?: AutoPoolIPNumber | undefined;
  /** conf.yml `clusterSubnetAutoPoolDefaultRedundantIPNumber`. */
  readonly defaultRedundant: number;
}): number {
  const { replicas, ipNumber, defaultRedundant } = input;
  if (replicas < 0 || defaultRedundant < 0) {
    throw new InvalidSpecError('negative replica or redundant IP number', [
      { path: 'spec.replicas', type: 'Invalid', detail: 'must be >= 0' },
    ]);
  }
  if (ipNumber === undefined) return replicas + defaultRedundant;
  return ipNumber.flexible ? replicas + ipNumber.count : ipNumber.count;
}

/** `group_version` (or `version` for the core group), the value of the owner-application-gv label. */
export function applicationGvLabel(apiVersion: string): string {
  return apiVersion.replace('/', '_');
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The inverse of `applicationGvLabel`; undefined when malformed ("wrong input"). */
export function apiVersionFromGvLabel(label: string): string | undefined {
  const parts = label.split('_');
  if (parts.some((p) => p === '') || parts.length > 2) return undefined;
  return parts.join('/');
}

/** `status.controlledIPPools[*].application` key: `group_version_Kind_namespace_name` / `version_Kind_namespace_name`. */
export function applicationKey(app: Omit<ApplicationRef, 'uid'>): string {
  return `${applicationGvLabel(app.apiVersion)}_${app.kind}_${app.namespace}_${app.name}`;
}

/** Parses an application key; namespaces and names cannot contain `_`, so the split is unambiguous. */
export function parseApplicationKey(key: string): Omit<ApplicationRef, 'uid'> | undefined {
  const parts = key.split('_');
  if (parts.length === 4) {
    const [version, kind, namespace, name] = parts as [string, string, string, string];
    return { apiVersion: version, kind, namespace, name };
  }
  if (parts.length === 5) {
    const [group, version, kind, namespace, name] = parts as [string, string, string, string, string];
    return { apiVersion: `${group}/${version}`, kind, namespace, name };
  }
  return undefined;
}

const MAX_NAME = 253;

/**
 * Name of an auto pool (ipam.md §7.1): `auto{4|6}-{app}-{nic}-{uid suffix}`, lower-case, app name truncated so the
 * whole name fits 253 characters (upstream's budget of `253 − len(suffix) − 7` is one short and yields 254).
 */
export function autoPoolName(family: IPFamily, appName: string, nic: string, appUid: string): string {
  const suffix = (appUid.split('-').at(-1) ?? '').slice(0, 5);
  const budget = MAX_NAME - suffix.length - 'autoN---'.length;
  let app = appName.toLowerCase();
  const lowerNic = nic.toLowerCase();
  if (app.length + lowerNic.length > budget) app = app.slice(0, Math.max(0, budget - lowerNic.length));
  return `auto${family}-${app}-${lowerNic}-${suffix}`;
}

/** Labels of an auto pool (ipam.md §2.3). */
export function autoPoolLabels(input: {
  readonly app: ApplicationRef;
  readonly subnetName: string;
  readonly subnetCidr: string;
  readonly family: IPFamily;
  readonly nic: string;
  readonly reclaim: boolean;
}): Record<string, string> {
  const { app } = input;
  return {
    [LABEL_OWNER_SPIDER_SUBNET]: input.subnetName,
    [LABEL_OWNER_APPLICATION_GV]: applicationGvLabel(app.apiVersion),
    [LABEL_OWNER_APPLICATION_KIND]: app.kind,
    [LABEL_OWNER_APPLICATION_NAMESPACE]: app.namespace,
    [LABEL_OWNER_APPLICATION_NAME]: app.name,
    [LABEL_OWNER_APPLICATION_UID]: app.uid,
    [LABEL_AUTO_POOL_INTERFACE]: input.nic,
    [LABEL_AUTO_POOL_IP_VERSION]: input.family === 4 ? 'IPv4' : 'IPv6',
    [LABEL_AUTO_POOL_RECLAIM]: String(input.reclaim),
    [LABEL_AUTO_POOL_CIDR]: cidrLabelValue(input.subnetCidr, input.family),
  };
}

/** `podAffinity.matchLabels` of an auto pool: the five `app-*` keys (api group `""` for the core group). */
export function autoPoolPodAffinity(app: Omit<ApplicationRef, 'uid'>): Record<string, string> {
  const { group, version } = splitApiVersion(app.apiVersion);
  return {
    [LABEL_APP_API_GROUP]: group,
    [LABEL_APP_API_VERSION]: version,
    [LABEL_APP_KIND]: app.kind,
    [LABEL_APP_NAMESPACE]: app.namespace,
    [LABEL_APP_NAME]: app.name,
  };
}

/** The label selector identifying the auto pool of (app, nic, family), without the uid (ipam.md §7.5 step 3). */
export function autoPoolLookupLabels(input: {
  readonly app: Omit<ApplicationRef, 'uid'>;
  readonly subnetName: string;
  readonly family: IPFamily;
  readonly nic: string;
}): Record<string, string> {
  return {
    [LABEL_OWNER_SPIDER_SUBNET]: input.subnetName,
    [LABEL_OWNER_APPLICATION_GV]: applicationGvLabel(input.app.apiVersion),
    [LABEL_OWNER_APPLICATION_KIND]: input.app.kind,
    [LABEL_OWNER_APPLICATION_NAMESPACE]: input.app.namespace,
    [LABEL_OWNER_APPLICATION_NAME]: input.app.name,
    [LABEL_AUTO_POOL_INTERFACE]: input.nic,
    [LABEL_AUTO_POOL_IP_VERSION]: input.family === 4 ? 'IPv4' : 'IPv6',
  };
}

/** The lowest `n` addresses of `set`. */
export function lowestN(set: IPSet, n: bigint): IPSet {
  if (n <= 0n || set.isEmpty) return IPSet.empty(set.family);
  const last = set.nth(n - 1n);
  if (last === undefined) return set;
  const first = set.intervals[0]?.lo as bigint;
  return set.intersect(IPSet.fromIntervals(set.family, [{ lo: first, hi: last }]));
}

export interface AutoPoolIPPlanInput {
  readonly family: IPFamily;
  readonly poolName: string;
  readonly desired: number;
  /** Subnet `spec.ips` / `spec.excludeIPs`. */
  readonly subnetIPs: readonly string[];
  readonly subnetExcludeIPs?: readonly string[];
  /** Parsed `status.controlledIPPools` of the subnet (all pools, including this one). */
  readonly controlled: ReadonlyMap<string, ControlledIPPool>;
  /** Reserved IPs of the family (non-terminating SpiderReservedIPs). */
  readonly reserved?: IPSet;
  /** The existing pool's `spec.ips` (used to repair a stale subnet record); empty for a new pool. */
  readonly poolIPs?: readonly string[];
  /** IPs currently allocated in the existing pool (`status.allocatedIPs` keys). */
  readonly allocated?: readonly string[];
}

export interface AutoPoolIPPlan {
  /** The pool's new `spec.ips` (merged ranges) and the subnet record. */
  readonly ips: readonly string[];
  readonly changed: boolean;
  readonly change: 'none' | 'grow' | 'shrink' | 'repair';
}

function setOfIPs(family: IPFamily, ips: readonly string[]): IPSet {
  const values = ips
    .map((ip) => tryParseIP(ip))
    .filter((ip): ip is NonNullable<typeof ip> => ip !== undefined && ip.family === family)
    .map((ip) => ({ lo: ip.value, hi: ip.value }));
  return IPSet.fromIntervals(family, values);
}

/**
 * Which subnet IPs an auto pool gets (ipam.md §7.3 step 4). Growth takes the lowest free subnet IPs
 * (`ips − excludeIPs − ⋃ controlledIPPools − reserved`); shrink drops the lowest un-allocated IPs and never an
 * allocated one. A subnet record that no longer covers the pool's allocated IPs is rebuilt from the pool's own
 * IPs first. Throws AutoPoolIPsError when the subnet or the pool has too few free IPs.
 */
export function planAutoPoolIPs(input: AutoPoolIPPlanInput): AutoPoolIPPlan {
  const { family, desired } = input;
  const want = BigInt(desired);
  const record = input.controlled.get(input.poolName);
  const previous = IPSet.fromRanges(family, record?.ips ?? []);
  const allocated = setOfIPs(family, input.allocated ?? []);
  let base = previous;
  let change: AutoPoolIPPlan['change'] = 'none';
  if (!previous.containsSet(allocated)) {
    base = IPSet.fromRanges(family, input.poolIPs ?? []).union(allocated);
    change = 'repair';
  }
  const size = base.size;
  let next = base;
  if (want < size) {
    const free = base.subtract(allocated);
    const drop = size - want;
    if (free.size < drop) {
      throw new AutoPoolIPsError(
        'FreeIPsNotEnough',
        `IPPool available free IPs are not enough: pool ${input.poolName} has ${free.size} free IPs, ${drop} must go`,
      );
    }
    next = base.subtract(lowestN(free, drop));
    change = 'shrink';
  } else if (want > size) {
    let taken = IPSet.empty(family);
    for (const [name, pool] of input.controlled) {
      if (name === input.poolName) continue;
      taken = taken.union(IPSet.fromRanges(family, pool.ips ?? []));
    }
    const free = IPSet.fromRanges(family, input.subnetIPs)
      .subtract(IPSet.fromRanges(family, input.subnetExcludeIPs ?? []))
      .subtract(taken)
      .subtract(input.reserved ?? IPSet.empty(family))
      .subtract(base);
    const need = want - size;
    if (free.size < need) {
      throw new AutoPoolIPsError(
        'SubnetIPsInsufficient',
        `insufficient subnet FreeIPs: pool ${input.poolName} needs ${need} more IPs, ${free.size} free`,
      );
    }
    next = base.union(lowestN(free, need));
    change = 'grow';
  }
  const ips = next.toRanges();
  return { ips, changed: !next.equals(previous), change: next.equals(previous) ? 'none' : change };
}
