import {
  cidrLabelValue,
  cidrsOverlap,
  tryParseCIDR,
  tryTotalIPs,
  validateIPPoolSpecChain,
  validateIPVersion,
  validatePodAffinity,
  validateSubnetCIDR,
  type CIDR,
  type IPFamily,
  type PoolRangeSet,
  type RuleResult,
} from '@spiderpool/ipam-core';
import { alreadyExists, forbidden, invalid, invalidIfAny, type Denial } from '../admission/denial.js';
import { fieldForbidden, fieldInternal, fieldInvalid, type FieldError } from '@spiderpool/crd-types';
import { hasFinalizer, isTerminating, type KubeObject } from '../admission/kind-webhook.js';
import { LABEL_IPPOOL_CIDR } from '../admission/spiderpool-keys.js';
import type { ClusterReader } from '../cluster/cluster-reader.port.js';
import type { IPPoolIndex } from '../cluster/ippool-index.port.js';
import type { FeatureFlags } from '../config/schema.js';
import { parseControlledIPPools } from '../subnet/subnet.rules.js';
import { checkIPsInUse, checkSiblingOverlap, isAutoPool, poolSpec } from './ippool.rules.js';

/** IPP-V10 on an admitted object (its labels decide whether it is an auto pool). */
const podAffinityErrors = (obj: KubeObject): FieldError[] =>
  validatePodAffinity(poolSpec(obj).podAffinity, obj.metadata?.labels);

/** SpiderIPPool validating webhook (crds.md §2.6–§2.8). */
export class IPPoolValidator {
  constructor(
    private readonly reader: ClusterReader,
    private readonly flags: FeatureFlags,
    /** Optional informer-fed index (IPP-V6 candidates); without it, before it synced or when it lags, live lists. */
    private readonly index: IPPoolIndex | null = null,
  ) {}

  /** Re-read index candidates live: only a pool the API server still holds, in its current state, can deny. */
  private async liveCandidates(candidates: KubeObject[]): Promise<KubeObject[]> {
    const live = await Promise.all(candidates.map((c) => this.reader.getIPPool(c.metadata?.name ?? '')));
    return live.filter((p): p is KubeObject => p !== null);
  }

  async validateCreate(obj: KubeObject): Promise<Denial | null> {
    const spec = poolSpec(obj);
    // IPP-V1..V3
    const ver = validateIPVersion(spec.ipVersion, this.flags, 'SpiderIPPool');
    if (ver) return invalid(ver);
    const family = spec.ipVersion as IPFamily;
    // IPP-V4, IPP-V5
    const cidrErr = validateSubnetCIDR(spec.subnet, family);
    if (cidrErr) return invalid(cidrErr);
    // IPP-V6
    const v6 = await this.checkSubnetOverlap(obj, family);
    if (v6) return v6;
    // IPP-V7..V10
    const chain = await this.specChainAndAffinity(obj, family);
    if (chain.length > 0) return invalid(...chain);
    // IPP-V11
    return invalidIfAny(await this.checkSubnetContainment(obj, family));
  }

  async validateUpdate(oldObj: KubeObject, newObj: KubeObject): Promise<Denial | null> {
    // IPP-U0
    if (isTerminating(newObj)) {
      return hasFinalizer(newObj) ? forbidden('a terminating IPPool cannot be updated') : null;
    }
    const oldSpec = poolSpec(oldObj);
    const spec = poolSpec(newObj);
    // IPP-U1
    if (oldSpec.ipVersion != null && spec.ipVersion != null && oldSpec.ipVersion !== spec.ipVersion) {
      return invalid(fieldForbidden('spec.ipVersion', 'is not changeable'));
    }
    if (oldSpec.subnet !== spec.subnet) return invalid(fieldForbidden('spec.subnet', 'is not changeable'));
    // IPP-U2
    const ver = validateIPVersion(spec.ipVersion, this.flags, 'SpiderIPPool');
    if (ver) return invalid(ver);
    const family = spec.ipVersion as IPFamily;
    // IPP-U3 (V7..V9)
    const chain = await this.specChain(newObj, family);
    if (chain.error) return invalid(chain.error);
    // IPP-U4 (V10)
    const aff = podAffinityErrors(newObj);
    if (aff.length > 0) return invalid(...aff);
    // IPP-U5: the stored status is what the apiserver hands us on a main-resource update.
    const inUse = checkIPsInUse(family, newObj.status?.['allocatedIPs'] ?? oldObj.status?.['allocatedIPs'], chain.value.total);
    if (inUse) return invalid(inUse);
    // IPP-U6 (V11)
    return invalidIfAny(await this.checkSubnetContainment(newObj, family));
  }

  async validateDelete(oldObj: KubeObject): Promise<Denial | null> {
    // IPP-D1
    if (!this.flags.enableValidatingResourcesDeletedWebhook) return null;
    const count = Number(oldObj.status?.['allocatedIPCount'] ?? 0);
    return count > 0 ? forbidden(`an IPPool with allocated IPs (${count}) cannot be deleted`) : null;
  }

  /**
   * IPP-V6 candidates from the index, but only once the index has caught up with a consistent collection
   * resourceVersion read now (read barrier, ADR 0008): a pool whose create returned before this request is then in
   * the index. `undefined` (no index, not synced, barrier not reached in its bound) means "list live".
   */
  private async freshCandidates(family: IPFamily, own: CIDR, name: string): Promise<KubeObject[] | undefined> {
    if (this.index === null) return undefined;
    const rv = await this.reader.ippoolCollectionVersion();
    if (!(await this.index.waitUntilFresh(rv))) return undefined;
    return this.index.overlapping(family, own, name);
  }

  /** IPP-V6: name clash (409) and overlap with a different subnet of the same family. */
  private async checkSubnetOverlap(obj: KubeObject, family: IPFamily): Promise<Denial | null> {
    const spec = poolSpec(obj);
    const own = tryParseCIDR(spec.subnet ?? '', family);
    let pools: KubeObject[];
    try {
      const candidates = own === undefined ? undefined : await this.freshCandidates(family, own, obj.metadata?.name ?? '');
      pools =
        candidates === undefined
          ? await this.reader.listIPPools()
          : // Pools on the identical subnet never deny here (and `spec.subnet` is immutable, IPP-U1): skip their GET.
            await this.liveCandidates(candidates.filter((p) => poolSpec(p).subnet !== spec.subnet || p.metadata?.name === obj.metadata?.name));
    } catch (err) {
      return invalid(fieldInternal('spec.subnet', `failed to list IPPools: ${(err as Error).message}`));
    }
    for (const p of pools) {
      const ps = poolSpec(p);
      if (ps.ipVersion !== family) continue;
      if (p.metadata?.name === obj.metadata?.name) return alreadyExists();
      if (ps.subnet === spec.subnet) continue;
      const other = tryParseCIDR(ps.subnet ?? '', family);
      if (own && other && cidrsOverlap(own, other)) {
        return invalid(
          fieldInvalid('spec.subnet', spec.subnet, `overlaps with IPPool '${p.metadata?.name ?? ''}' whose subnet is '${ps.subnet ?? ''}'`),
        );
      }
    }
    return null;
  }

  /** IPP-V7 (with sibling overlap), IPP-V8, IPP-V9; the chain's error is an ipam-core one or an admission cause. */
  private async specChain(
    obj: KubeObject,
    family: IPFamily,
  ): Promise<{ error: FieldError; value?: undefined } | { error?: undefined; value: PoolRangeSet }> {
    const spec = poolSpec(obj);
    const chain: RuleResult<PoolRangeSet> = validateIPPoolSpecChain(spec, family);
    if (chain.error !== undefined) return { error: chain.error };
    const siblingLabel = cidrLabel(spec.subnet, family);
    if (siblingLabel !== undefined) {
      let siblings: KubeObject[];
      try {
        // A consistent, label-selected list (small and exact), never the index: a sibling created just before this
        // request must be seen (ADR 0008).
        siblings = await this.reader.listIPPools({ label: LABEL_IPPOOL_CIDR, value: siblingLabel });
      } catch (err) {
        return { error: fieldInternal('spec.ips', `failed to list IPPools: ${(err as Error).message}`) };
      }
      for (const s of siblings) {
        if (s.metadata?.name === obj.metadata?.name) continue;
        const e = checkSiblingOverlap(family, chain.value, s);
        if (e) return { error: e };
      }
    }
    return chain;
  }

  private async specChainAndAffinity(obj: KubeObject, family: IPFamily): Promise<FieldError[]> {
    const chain = await this.specChain(obj, family);
    return [...(chain.error ? [chain.error] : []), ...podAffinityErrors(obj)];
  }

  /** IPP-V11: a pool controlled by a subnet stays inside it. */
  private async checkSubnetContainment(obj: KubeObject, family: IPFamily): Promise<FieldError[]> {
    if (!this.flags.enableSpiderSubnet) return [];
    const owner = (obj.metadata?.ownerReferences ?? []).find((o) => o.controller === true);
    if (owner === undefined) return [];
    const built = validateIPPoolSpecChain(poolSpec(obj), family);
    if (built.error !== undefined) return [];
    const total = built.value.total;
    if (total.isEmpty) return [];
    let subnet: KubeObject | null;
    try {
      subnet = await this.reader.getSubnet(owner.name);
    } catch (err) {
      return [fieldInternal('spec.subnet', `failed to get SpiderSubnet '${owner.name}': ${(err as Error).message}`)];
    }
    if (subnet === null) return [fieldInternal('spec.subnet', `SpiderSubnet '${owner.name}' not found`)];
    const subnetTotal = tryTotalIPs(subnet.spec ?? {}, family);
    if (subnetTotal === undefined) return [fieldInternal('spec.subnet', `SpiderSubnet '${owner.name}' has invalid IP ranges`)];
    const missing = total.subtract(subnetTotal).toRanges();
    if (missing.length > 0) {
      return [
        fieldForbidden('spec.ips', `adds IP ranges [${missing.join(' ')}] that the controlling Subnet '${owner.name}' does not contain`),
      ];
    }
    if (isAutoPool(obj)) {
      const records = parseControlledIPPools(subnet.status?.['controlledIPPools']);
      const recorded = records?.[obj.metadata?.name ?? '']?.ips ?? [];
      const mine = total.toRanges();
      const theirs = tryTotalIPs({ ips: recorded }, family);
      if (theirs === undefined || !theirs.equals(total)) {
        return [fieldForbidden('spec.ips', `an auto-created IPPool's IPs [${mine.join(' ')}] must not differ from the record [${recorded.join(' ')}] in SpiderSubnet '${owner.name}' status.controlledIPPools`)];
      }
    }
    return [];
  }
}

/** The `ippool-cidr` label value of a subnet (IPP-M4), or undefined when it is not a CIDR of the family. */
function cidrLabel(subnet: string | null | undefined, family: IPFamily): string | undefined {
  return tryParseCIDR(subnet ?? '', family) === undefined ? undefined : cidrLabelValue(subnet ?? '', family);
}
