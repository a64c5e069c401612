// Pure SpiderIPPool rules (crds.md §2). Cluster lookups happen in the validator; these take plain data.
import { fieldForbidden, fieldInternal, fieldInvalid, type FieldError } from '../admission/field-error.js';
import type { KubeObject } from '../admission/kind-webhook.js';
import { AUTO_POOL_AFFINITY_KEYS, LABEL_OWNER_APPLICATION_NAME } from '../admission/spiderpool-keys.js';
import {
  buildPoolRangeSet,
  checkGateway,
  checkRoutes,
  type AddressSpec,
  type PoolRangeSet,
} from '../address-spec/address-spec.rules.js';
import {
  formatIntervals,
  intervalsContain,
  parseIP,
  subtractIntervals,
  type IPFamily,
  type IPInterval,
} from '../ip/ip-range.js';
import { validateLabelSelector, type LabelSelector } from './label-selector.rules.js';

export interface IPPoolSpec extends AddressSpec {
  podAffinity?: LabelSelector | null;
}

export const poolSpec = (obj: KubeObject): IPPoolSpec => (obj.spec ?? {}) as IPPoolSpec;

export const isAutoPool = (obj: KubeObject): boolean =>
  obj.metadata?.labels?.[LABEL_OWNER_APPLICATION_NAME] !== undefined;

/** IPP-V7 (first stage) + IPP-V8 + IPP-V9: only the first failure is reported. */
export function checkPoolSpecChain(
  family: IPFamily,
  spec: IPPoolSpec,
): { error: FieldError; set?: undefined } | { error: null; set: PoolRangeSet } {
  const built = buildPoolRangeSet(family, spec);
  if (!built.ok) return { error: fieldInvalid('spec.subnet', spec.subnet ?? '', built.reason) };
  const gw = checkGateway(family, spec);
  if (gw) return { error: gw };
  const routes = checkRoutes(family, spec);
  if (routes) return { error: routes };
  return { error: null, set: built.set };
}

/** IPP-V7 second stage: overlap of effective ranges with a sibling pool (same ippool-cidr label). */
export function checkSiblingOverlap(
  family: IPFamily,
  own: PoolRangeSet,
  sibling: KubeObject,
): FieldError | null {
  const other = poolSpec(sibling);
  const built = buildPoolRangeSet(family, other);
  if (!built.ok) return fieldInvalid('spec.subnet', other.subnet ?? '', built.reason);
  const hit = own.total.some((a) => built.set.total.some((b) => a.start <= b.end && b.start <= a.end));
  if (!hit) return null;
  return fieldForbidden(
    'spec.ips',
    `overlaps with IPPool '${sibling.metadata?.name ?? ''}' in IP ranges [${(other.ips ?? []).join(' ')}], total IPs of an IPPool are determined by 'spec.ips' and 'spec.excludeIPs'`,
  );
}

/** IPP-V10: podAffinity; errors are appended to the spec chain error. */
export function checkPodAffinity(obj: KubeObject): FieldError[] {
  const sel = poolSpec(obj).podAffinity;
  if (sel === null || sel === undefined) return [];
  if (isAutoPool(obj)) {
    const errs: FieldError[] = [];
    for (const key of Object.keys(sel.matchLabels ?? {})) {
      if (!AUTO_POOL_AFFINITY_KEYS.includes(key)) {
        errs.push(fieldInvalid('spec.podAffinity', key, 'additional matchLabels are not allowed for an auto-created IPPool'));
      }
    }
    if ((sel.matchExpressions ?? []).length > 0) {
      errs.push(fieldInvalid('spec.podAffinity', sel.matchExpressions, 'matchExpressions are not allowed for an auto-created IPPool'));
    }
    return errs;
  }
  const errs = validateLabelSelector(sel, 'spec.podAffinity');
  if (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
    errs.push(fieldInvalid('spec.podAffinity', sel, 'an empty podAffinity is not valid'));
  }
  return errs;
}

export interface AllocationRecord {
  pod: string;
  podUid: string;
}

/** Parse `status.allocatedIPs` JSON text (§2.2). Absent → empty map; malformed → null. */
export function parseAllocatedIPs(text: unknown): Record<string, AllocationRecord> | null {
  if (text === undefined || text === null || text === '') return {};
  if (typeof text !== 'string') return null;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    return v as Record<string, AllocationRecord>;
  } catch {
    return null;
  }
}

/** IPP-U5: every allocated IP stays among the new total IPs (compared numerically, i.e. canonically). */
export function checkIPsInUse(
  family: IPFamily,
  allocatedIPsText: unknown,
  newTotal: readonly IPInterval[],
): FieldError | null {
  const allocated = parseAllocatedIPs(allocatedIPsText);
  if (allocated === null) return fieldInternal('spec.ips', 'failed to parse status.allocatedIPs');
  for (const [ip, rec] of Object.entries(allocated).sort(([a], [b]) => a.localeCompare(b))) {
    const parsed = parseIP(ip);
    if (parsed === null || parsed.family !== family) return fieldInternal('spec.ips', `invalid allocated IP '${ip}'`);
    if (!intervalsContain(newTotal, parsed.value)) {
      return fieldForbidden('spec.ips', `removes IP '${ip}' that Pod '${rec?.pod ?? ''}' is using`);
    }
  }
  return null;
}

/** IPP-V11 containment: pool IPs missing from the subnet's total, as canonical ranges. */
export const missingFromSubnet = (family: IPFamily, pool: readonly IPInterval[], subnet: readonly IPInterval[]): string[] =>
  formatIntervals(family, subtractIntervals(pool, subnet));
