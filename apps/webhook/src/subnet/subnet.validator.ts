import {
  cidrsOverlap,
  tryParseCIDR,
  tryTotalIPs,
  validateIPPoolRanges,
  validateIPVersion,
  validateSubnetCIDR,
  validateSubnetSpecChain,
  type IPFamily,
} from '@spiderpool/ipam-core';
import { alreadyExists, forbidden, invalid, type Denial } from '../admission/denial.js';
import { fieldForbidden, fieldInternal, fieldInvalid } from '@spiderpool/crd-types';
import { hasFinalizer, isTerminating, type KubeObject } from '../admission/kind-webhook.js';
import type { ClusterReader } from '../cluster/cluster-reader.port.js';
import type { FeatureFlags } from '../config/schema.js';
import { poolSpec } from '../ippool/ippool.rules.js';
import { parseControlledIPPools, subnetSpec } from './subnet.rules.js';

/** SpiderSubnet validating webhook (crds.md §3.6–§3.8). */
export class SubnetValidator {
  constructor(
    private readonly reader: ClusterReader,
    private readonly flags: FeatureFlags,
  ) {}

  async validateCreate(obj: KubeObject): Promise<Denial | null> {
    const spec = subnetSpec(obj);
    // SUB-V1..V3
    const ver = validateIPVersion(spec.ipVersion, this.flags, 'SpiderSubnet');
    if (ver) return invalid(ver);
    const family = spec.ipVersion as IPFamily;
    // SUB-V4, SUB-V5
    const cidrErr = validateSubnetCIDR(spec.subnet, family);
    if (cidrErr) return invalid(cidrErr);
    const own = tryParseCIDR(spec.subnet ?? '', family);
    if (own === undefined) return invalid(fieldInvalid('spec.subnet', spec.subnet, 'invalid CIDR'));
    // SUB-V6
    let subnets: KubeObject[];
    try {
      subnets = await this.reader.listSubnets();
    } catch (err) {
      return invalid(fieldInternal('spec.subnet', `failed to list Subnets: ${(err as Error).message}`));
    }
    for (const s of subnets) {
      const ss = subnetSpec(s);
      if (ss.ipVersion !== family) continue;
      if (s.metadata?.name === obj.metadata?.name) return alreadyExists();
      const other = tryParseCIDR(ss.subnet ?? '', family);
      if (other && cidrsOverlap(own, other)) {
        return invalid(
          fieldInvalid('spec.subnet', spec.subnet, `overlaps with Subnet '${s.metadata?.name ?? ''}' whose subnet is '${ss.subnet ?? ''}'`),
        );
      }
    }
    // SUB-V7
    const orphan = await this.checkOrphanPools(obj, family);
    if (orphan) return orphan;
    // SUB-V8..V11
    const chain = validateSubnetSpecChain(spec, family);
    return chain ? invalid(chain) : null;
  }

  async validateUpdate(oldObj: KubeObject, newObj: KubeObject): Promise<Denial | null> {
    // SUB-U0
    if (isTerminating(newObj)) {
      return hasFinalizer(newObj) ? forbidden('a terminating Subnet cannot be updated') : null;
    }
    const oldSpec = subnetSpec(oldObj);
    const spec = subnetSpec(newObj);
    // SUB-U1
    if (oldSpec.ipVersion != null && spec.ipVersion != null && oldSpec.ipVersion !== spec.ipVersion) {
      return invalid(fieldForbidden('spec.ipVersion', 'is not changeable'));
    }
    if (oldSpec.subnet !== spec.subnet) return invalid(fieldForbidden('spec.subnet', 'is not changeable'));
    // SUB-U2
    const ver = validateIPVersion(spec.ipVersion, this.flags, 'SpiderSubnet');
    if (ver) return invalid(ver);
    const family = spec.ipVersion as IPFamily;
    // SUB-U3
    const chain = validateSubnetSpecChain(spec, family);
    if (chain) return invalid(chain);
    // SUB-U4
    const total = tryTotalIPs(spec, family);
    if (total === undefined) return invalid(fieldInternal('spec.ips', 'failed to compute the total IPs'));
    const records = parseControlledIPPools(newObj.status?.['controlledIPPools'] ?? oldObj.status?.['controlledIPPools']);
    if (records === null) return invalid(fieldInternal('status.controlledIPPools', 'failed to parse'));
    for (const [pool, rec] of Object.entries(records)) {
      const used = tryTotalIPs({ ips: rec?.ips ?? [] }, family);
      if (used === undefined) return invalid(fieldInternal('status.controlledIPPools', `invalid IPs recorded for IPPool '${pool}'`));
      const lost = used.subtract(total);
      if (!lost.isEmpty) {
        return invalid(
          fieldForbidden('spec.ips', `removes IP ranges [${lost.toRanges().join(' ')}] that IPPool '${pool}' is using`),
        );
      }
    }
    return null;
  }

  async validateDelete(oldObj: KubeObject): Promise<Denial | null> {
    // SUB-D1
    if (!this.flags.enableValidatingResourcesDeletedWebhook) return null;
    const count = Number(oldObj.status?.['allocatedIPCount'] ?? 0);
    return count > 0 ? forbidden(`a Subnet with allocated IPs (${count}) cannot be deleted`) : null;
  }

  /** SUB-V7: existing pools either live in a different, non-overlapping CIDR, or fit inside the new subnet. */
  private async checkOrphanPools(obj: KubeObject, family: IPFamily): Promise<Denial | null> {
    const spec = subnetSpec(obj);
    const own = tryParseCIDR(spec.subnet ?? '', family);
    let pools: KubeObject[];
    try {
      pools = await this.reader.listIPPools();
    } catch (err) {
      return invalid(fieldInternal('spec.subnet', `failed to list IPPools: ${(err as Error).message}`));
    }
    const subnetTotal = tryTotalIPs(spec, family);
    for (const p of pools) {
      const ps = poolSpec(p);
      if (ps.ipVersion !== family) continue;
      const name = p.metadata?.name ?? '';
      if (ps.subnet !== spec.subnet) {
        const other = tryParseCIDR(ps.subnet ?? '', family);
        if (own && other && cidrsOverlap(own, other)) {
          return invalid(fieldInvalid('spec.subnet', spec.subnet, `overlaps with SpiderIPPool '${name}' whose subnet is '${ps.subnet ?? ''}'`));
        }
        continue;
      }
      const built = validateIPPoolRanges(ps, family);
      if (built.error !== undefined) {
        return invalid(fieldInternal('spec.ips', `failed to parse SpiderIPPool '${name}': ${built.error.detail}`));
      }
      if (subnetTotal === undefined) return invalid(fieldInvalid('spec.ips', spec.ips, 'invalid IP ranges'));
      if (!subnetTotal.containsSet(built.value.total)) {
        return invalid(
          fieldInvalid('spec.ips', spec.ips ?? [], `SpiderIPPool '${name}' owns IPs that SpiderSubnet '${obj.metadata?.name ?? ''}' cannot control`),
        );
      }
    }
    return null;
  }
}
