import { isNil, isTerminating, type KubeObject } from '../admission/kind-webhook.js';
import { familyOfRanges, tryMergeIPRanges, type IPFamily } from '@spiderpool/ipam-core';
import { reservedIPSpec } from './reservedip.rules.js';

/** SpiderReservedIP mutating webhook (crds.md §4.3). No finalizer. */
export class ReservedIPMutator {
  mutate(obj: KubeObject): KubeObject {
    // RIP-M1
    if (isTerminating(obj)) return obj;
    const spec = reservedIPSpec(obj);
    const ips = spec.ips ?? [];
    // RIP-M2
    if (ips.length === 0) return obj;
    // RIP-M3
    if (isNil(spec.ipVersion)) {
      const v = familyOfRanges(ips);
      if (v === undefined) return obj;
      spec.ipVersion = v;
    }
    // RIP-M4
    if (ips.length > 1 && (spec.ipVersion === 4 || spec.ipVersion === 6)) {
      const merged = tryMergeIPRanges(spec.ipVersion as IPFamily, ips);
      if (merged !== undefined) spec.ips = merged;
    }
    return obj;
  }
}
