import { ensureFinalizer, isNil, isTerminating, setLabel, type KubeObject } from '../admission/kind-webhook.js';
import { LABEL_SUBNET_CIDR } from '../admission/spiderpool-keys.js';
import { cidrToLabelValue, ipVersionOfCIDR, mergeIPRanges, type IPFamily } from '../ip/ip-range.js';
import { subnetSpec } from './subnet.rules.js';

/** SpiderSubnet mutating webhook (crds.md §3.5). */
export class SubnetMutator {
  mutate(obj: KubeObject): KubeObject {
    // SUB-M1
    if (isTerminating(obj)) return obj;
    // SUB-M2
    ensureFinalizer(obj);
    obj.spec ??= {};
    const spec = subnetSpec(obj);
    // SUB-M3
    if (isNil(spec.ipVersion)) {
      const v = ipVersionOfCIDR(spec.subnet ?? '');
      if (v === null) return obj;
      spec.ipVersion = v;
    }
    const family = spec.ipVersion as IPFamily;
    // SUB-M4
    const label = cidrToLabelValue(family, spec.subnet ?? '');
    if (label === null) return obj;
    setLabel(obj, LABEL_SUBNET_CIDR, label);
    // SUB-M5
    if ((spec.ips ?? []).length > 1) {
      const merged = mergeIPRanges(family, spec.ips ?? []);
      if (merged === null) return obj;
      spec.ips = merged;
    }
    // SUB-M6
    if ((spec.excludeIPs ?? []).length > 1) {
      const merged = mergeIPRanges(family, spec.excludeIPs ?? []);
      if (merged !== null) spec.excludeIPs = merged;
    }
    return obj;
  }
}
