import { tryMergeIPRanges, type IPFamily } from '@spiderpool/ipam-core';

/**
 * IPP-M6/M7 and SUB-M5/M6: merge `spec.ips` and `spec.excludeIPs` into canonical ranges, in place. Returns false
 * when `spec.ips` cannot be merged (the mutation stops there); unmergeable `excludeIPs` are left as they are.
 */
export function mergeSpecRanges(
  spec: { ips?: readonly string[] | null; excludeIPs?: readonly string[] | null },
  family: IPFamily,
): boolean {
  if ((spec.ips ?? []).length > 1) {
    const merged = tryMergeIPRanges(family, spec.ips ?? []);
    if (merged === undefined) return false;
    spec.ips = merged;
  }
  if ((spec.excludeIPs ?? []).length > 1) {
    const merged = tryMergeIPRanges(family, spec.excludeIPs ?? []);
    if (merged !== undefined) spec.excludeIPs = merged;
  }
  return true;
}
