// SpiderReservedIP admission (crds.md §4). Its rules (RIP-V1…V4) are pure and live in @spiderpool/ipam-core.
import type { KubeObject } from '../admission/kind-webhook.js';

export interface ReservedIPSpec {
  ipVersion?: number | null;
  ips?: string[] | null;
}

export const reservedIPSpec = (obj: KubeObject): ReservedIPSpec => (obj.spec ?? {}) as ReservedIPSpec;
