// Pure SpiderReservedIP rules (crds.md §4).
import { fieldInvalid, type FieldError } from '../admission/field-error.js';
import type { KubeObject } from '../admission/kind-webhook.js';
import { parseIPRange, type IPFamily } from '../ip/ip-range.js';

export interface ReservedIPSpec {
  ipVersion?: number | null;
  ips?: string[] | null;
}

export const reservedIPSpec = (obj: KubeObject): ReservedIPSpec => (obj.spec ?? {}) as ReservedIPSpec;

/** RIP-M3: the family of a strict range, or null. */
export function familyOfRange(entry: string): IPFamily | null {
  if (parseIPRange(entry, 4).ok) return 4;
  if (parseIPRange(entry, 6).ok) return 6;
  return null;
}

/** RIP-V4: the first entry that is not a strict IP range of the family. */
export function checkReservedIPs(family: IPFamily, spec: ReservedIPSpec): FieldError | null {
  const ips = spec.ips ?? [];
  for (let i = 0; i < ips.length; i++) {
    const r = parseIPRange(ips[i] as string, family);
    if (!r.ok) return fieldInvalid(`spec.ips[${i}]`, ips[i], r.reason);
  }
  return null;
}
