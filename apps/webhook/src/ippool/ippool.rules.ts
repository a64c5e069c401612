// SpiderIPPool admission pieces that need cluster state (crds.md §2). The pure rules (IPP-V1…V5, V7 first stage,
// V8, V9, V10) live in @spiderpool/ipam-core validation; these take what the validator read from the cluster.
import { parseStatusJsonMap } from '../admission/status-json.js';
import {
  IPSet,
  poolRangesOverlap,
  tryParseIP,
  validateIPPoolRanges,
  type AddressSpecView,
  type IPFamily,
  type LabelSelector,
  type PoolRangeSet,
} from '@spiderpool/ipam-core';
import { fieldForbidden, fieldInternal, type FieldError } from '@spiderpool/crd-types';
import type { KubeObject } from '../admission/kind-webhook.js';
import { LABEL_OWNER_APPLICATION_NAME } from '../admission/spiderpool-keys.js';

/** Top-level fields writable: the mutator edits the admitted spec in place. */
export type WritableSpec<T> = { -readonly [K in keyof T]: T[K] };

export type IPPoolSpec = WritableSpec<AddressSpecView & { readonly podAffinity?: LabelSelector | null }>;

export const poolSpec = (obj: KubeObject): IPPoolSpec => (obj.spec ?? {}) as IPPoolSpec;

export const isAutoPool = (obj: KubeObject): boolean =>
  obj.metadata?.labels?.[LABEL_OWNER_APPLICATION_NAME] !== undefined;

/** IPP-V7 second stage: overlap of effective ranges with a sibling pool (same ippool-cidr label). */
export function checkSiblingOverlap(family: IPFamily, own: PoolRangeSet, sibling: KubeObject): FieldError | null {
  const other = poolSpec(sibling);
  const built = validateIPPoolRanges(other, family);
  if (built.error !== undefined) return built.error;
  if (!poolRangesOverlap(own, built.value)) return null;
  return fieldForbidden(
    'spec.ips',
    `overlaps with IPPool '${sibling.metadata?.name ?? ''}' in IP ranges [${(other.ips ?? []).join(' ')}], total IPs of an IPPool are determined by 'spec.ips' and 'spec.excludeIPs'`,
  );
}

export interface AllocationRecord {
  pod: string;
  podUid: string;
}

/** Parse `status.allocatedIPs` JSON text (§2.2). Absent → empty map; malformed → null. */
export const parseAllocatedIPs = (text: unknown): Record<string, AllocationRecord> | null => parseStatusJsonMap<AllocationRecord>(text);

/** IPP-U5: every allocated IP stays among the new total IPs (compared numerically, i.e. canonically). */
export function checkIPsInUse(family: IPFamily, allocatedIPsText: unknown, newTotal: IPSet): FieldError | null {
  const allocated = parseAllocatedIPs(allocatedIPsText);
  if (allocated === null) return fieldInternal('spec.ips', 'failed to parse status.allocatedIPs');
  for (const [ip, rec] of Object.entries(allocated).sort(([a], [b]) => a.localeCompare(b))) {
    const parsed = tryParseIP(ip);
    if (parsed === undefined || parsed.family !== family) {
      return fieldInternal('spec.ips', `invalid allocated IP '${ip}'`);
    }
    if (!newTotal.has(parsed.value)) {
      return fieldForbidden('spec.ips', `removes IP '${ip}' that Pod '${rec?.pod ?? ''}' is using`);
    }
  }
  return null;
}
