import {
  IPSet,
  parseCIDR,
  parseControlledIPPools,
  serializeControlledIPPools,
  type ControlledIPPool,
  type IPFamily,
} from '@spiderpool/ipam-core';
import type { PoolObject, SubnetObject } from '../ippool/ippool.types.js';

/**
 * Pure parts of SpiderSubnet status upkeep (controller-and-chart.md §3.3, ipam.md §7.6): usable IPs, the rebuilt
 * `controlledIPPools` map and the counts. No I/O; the reconciler feeds it cache snapshots and live reads.
 */

export function subnetFamily(subnet: SubnetObject): IPFamily {
  return (subnet.spec.ipVersion ?? parseCIDR(subnet.spec.subnet).family) as IPFamily;
}

/** `spec.ips − spec.excludeIPs` of a subnet or a pool. */
export function usableIPs(family: IPFamily, spec: { ips?: readonly string[] | undefined; excludeIPs?: readonly string[] | undefined }): IPSet {
  return IPSet.fromRanges(family, spec.ips ?? []).subtract(IPSet.fromRanges(family, spec.excludeIPs ?? []));
}

/** JSON-safe count: saturates at 2^53−1 like the pool counts (docs/compat.md). */
export function saturatedCount(n: bigint): number {
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(n > max ? max : n);
}

/** Number of IPs recorded across all entries (`allocatedIPCount` of the subnet). */
export function controlledIPCount(family: IPFamily, controlled: ReadonlyMap<string, ControlledIPPool>): number {
  let n = 0n;
  for (const entry of controlled.values()) n += IPSet.fromRanges(family, entry.ips ?? []).size;
  return saturatedCount(n);
}

export interface ControlledPlanInput {
  readonly subnet: SubnetObject;
  /** Current `status.controlledIPPools` (parsed). */
  readonly current: ReadonlyMap<string, ControlledIPPool>;
  /** Non-auto pools labelled as owned by this subnet (cache). */
  readonly manualPools: readonly PoolObject[];
  /** Whether an auto-pool entry is still wanted: its pool exists, or its application does. */
  readonly keepAutoEntry: (poolName: string, entry: ControlledIPPool) => boolean;
}

/**
 * The new `controlledIPPools` map: auto-pool entries (with an `application`) are kept while `keepAutoEntry` says
 * so; every manual pool owned by the subnet gets the intersection of its usable IPs with the subnet's.
 */
export function planControlledIPPools(input: ControlledPlanInput): Map<string, ControlledIPPool> {
  const family = subnetFamily(input.subnet);
  const subnetIPs = usableIPs(family, input.subnet.spec);
  const next = new Map<string, ControlledIPPool>();
  for (const [name, entry] of input.current) {
    if (entry.application !== undefined && input.keepAutoEntry(name, entry)) next.set(name, entry);
  }
  for (const pool of input.manualPools) {
    const name = pool.metadata.name ?? '';
    if (next.has(name)) continue;
    let ips: string[];
    try {
      ips = subnetIPs.intersect(usableIPs(family, pool.spec)).toRanges();
    } catch {
      continue; // a pool of the other family or with a malformed spec controls nothing here
    }
    next.set(name, { ips });
  }
  return next;
}

export interface SubnetStatusView {
  readonly controlledIPPools?: string;
  readonly totalIPCount?: number;
  readonly allocatedIPCount?: number;
}

/** The status implied by a controlled map; `undefined` when it equals `current` (no write). */
export function subnetStatusFor(
  subnet: SubnetObject,
  controlled: ReadonlyMap<string, ControlledIPPool>,
): SubnetStatusView {
  const family = subnetFamily(subnet);
  const text = serializeControlledIPPools(controlled);
  return {
    ...(text === undefined ? {} : { controlledIPPools: text }),
    totalIPCount: saturatedCount(usableIPs(family, subnet.spec).size),
    allocatedIPCount: controlledIPCount(family, controlled),
  };
}

export function sameSubnetStatus(a: SubnetStatusView | undefined, b: SubnetStatusView): boolean {
  return (
    (a?.controlledIPPools ?? undefined) === b.controlledIPPools &&
    a?.totalIPCount === b.totalIPCount &&
    a?.allocatedIPCount === b.allocatedIPCount
  );
}

export { parseControlledIPPools };
