import { forbidden, invalid, type Denial } from '../admission/denial.js';
import { validateIPVersion, validateReservedIPEntries, type IPFamily } from '@spiderpool/ipam-core';
import { fieldForbidden } from '@spiderpool/crd-types';
import { isTerminating, type KubeObject } from '../admission/kind-webhook.js';
import type { FeatureFlags } from '../config/schema.js';
import { reservedIPSpec } from './reservedip.rules.js';

/** SpiderReservedIP validating webhook (crds.md §4.4). No DELETE webhook. */
export class ReservedIPValidator {
  constructor(private readonly flags: FeatureFlags) {}

  async validateCreate(obj: KubeObject): Promise<Denial | null> {
    const spec = reservedIPSpec(obj);
    // RIP-V1..V3
    const ver = validateIPVersion(spec.ipVersion, this.flags, 'SpiderReservedIP');
    if (ver) return invalid(ver);
    // RIP-V4
    const e = validateReservedIPEntries(spec.ips, spec.ipVersion as IPFamily);
    return e ? invalid(e) : null;
  }

  async validateUpdate(oldObj: KubeObject, newObj: KubeObject): Promise<Denial | null> {
    // RIP-U0
    if (isTerminating(newObj)) {
      return isTerminating(oldObj) ? forbidden('a terminating ReservedIP cannot be updated') : null;
    }
    // RIP-U1
    const o = reservedIPSpec(oldObj).ipVersion;
    const n = reservedIPSpec(newObj).ipVersion;
    if (o != null && n != null && o !== n) return invalid(fieldForbidden('spec.ipVersion', 'is not changeable'));
    return this.validateCreate(newObj);
  }
}
