// SpiderSubnet admission pieces that need cluster state (crds.md §3). The pure rules (SUB-V1…V5, V8…V11) live in
// @spiderpool/ipam-core validation.
import { parseStatusJsonMap } from '../admission/status-json.js';
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
export const parseControlledIPPools = (text: unknown): Record<string, PoolPreAllocation> | null => parseStatusJsonMap<PoolPreAllocation>(text);
