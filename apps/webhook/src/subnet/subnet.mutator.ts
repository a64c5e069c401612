import { ensureFinalizer, isNil, isTerminating, setLabel, type KubeObject } from '../admission/kind-webhook.js';
import { LABEL_SUBNET_CIDR } from '../admission/spiderpool-keys.js';
import { cidrLabelValue, familyOfCIDR, tryParseCIDR, type IPFamily } from '@spiderpool/ipam-core';
import { mergeSpecRanges } from '../admission/range-merge.js';
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
      const v = familyOfCIDR(spec.subnet ?? '');
      if (v === undefined) return obj;
      spec.ipVersion = v;
    }
    const family = spec.ipVersion as IPFamily;
    // SUB-M4
    if (tryParseCIDR(spec.subnet ?? '', family) === undefined) return obj;
    const label = cidrLabelValue(spec.subnet ?? '', family);
    setLabel(obj, LABEL_SUBNET_CIDR, label);
    // SUB-M5, SUB-M6
    mergeSpecRanges(spec, family);
    return obj;
  }
}
