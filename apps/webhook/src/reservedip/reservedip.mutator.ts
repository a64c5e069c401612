import { isNil, isTerminating, type KubeObject } from '../admission/kind-webhook.js';
import { mergeIPRanges, type IPFamily } from '../ip/ip-range.js';
import { familyOfRange, reservedIPSpec } from './reservedip.rules.js';

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
      const v = familyOfRange(ips[0] as string);
      if (v === null) return obj;
      spec.ipVersion = v;
    }
    // RIP-M4
    if (ips.length > 1 && (spec.ipVersion === 4 || spec.ipVersion === 6)) {
      const merged = mergeIPRanges(spec.ipVersion as IPFamily, ips);
      if (merged !== null) spec.ips = merged;
    }
    return obj;
  }
}
