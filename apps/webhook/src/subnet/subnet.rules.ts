// SpiderSubnet admission pieces that need cluster state (crds.md §3). The pure rules (SUB-V1…V5, V8…V11) live in
// @spiderpool/ipam-core validation.
import type { AddressSpecView } from '@spiderpool/ipam-core';
import type { KubeObject } from '../admission/kind-webhook.js';
import type { WritableSpec } from '../ippool/ippool.rules.js';

export const subnetSpec = (obj: KubeObject): WritableSpec<AddressSpecView> =>
  (obj.spec ?? {}) as WritableSpec<AddressSpecView>;

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
