// Pure SpiderSubnet rules (crds.md §3).
import { fieldInvalid, type FieldError } from '../admission/field-error.js';
import type { KubeObject } from '../admission/kind-webhook.js';
import { checkGateway, checkRoutes, type AddressSpec } from '../address-spec/address-spec.rules.js';
import { parseCIDROfFamily, parseIPRange, type IPFamily } from '../ip/ip-range.js';

export const subnetSpec = (obj: KubeObject): AddressSpec => (obj.spec ?? {}) as AddressSpec;

export interface PoolPreAllocation {
  ips: string[] | null;
  application?: string;
}

/** Parse `status.controlledIPPools` (§3.2). Absent → {}; malformed → null. */
export function parseControlledIPPools(text: unknown): Record<string, PoolPreAllocation> | null {
  if (text === undefined || text === null || text === '') return {};
  if (typeof text !== 'string') return null;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    return v as Record<string, PoolPreAllocation>;
  } catch {
    return null;
  }
}

/** SUB-V8 / SUB-V9: every entry is a strict range of the family inside the subnet. */
function checkStrictEntries(family: IPFamily, spec: AddressSpec, field: 'ips' | 'excludeIPs'): FieldError | null {
  const cidr = parseCIDROfFamily(spec.subnet ?? '', family);
  const entries = spec[field] ?? [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as string;
    const r = parseIPRange(e, family);
    const path = `spec.${field}[${i}]`;
    if (!r.ok) return fieldInvalid(path, e, r.reason);
    if (cidr === null || r.interval.start < cidr.first || r.interval.end > cidr.last) {
      return fieldInvalid(path, e, `does not belong to spec.subnet '${spec.subnet ?? ''}'`);
    }
  }
  return null;
}

/** SUB-V8..V11: first failure only. */
export function checkSubnetSpecChain(family: IPFamily, spec: AddressSpec): FieldError | null {
  return (
    checkStrictEntries(family, spec, 'ips') ??
    checkStrictEntries(family, spec, 'excludeIPs') ??
    checkGateway(family, spec) ??
    checkRoutes(family, spec)
  );
}
