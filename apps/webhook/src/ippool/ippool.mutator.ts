import type { Logger } from 'pino';
import {
  SPIDERPOOL_GROUP,
  SPIDERPOOL_VERSION,
  ensureFinalizer,
  isNil,
  isTerminating,
  setLabel,
  type KubeObject,
} from '../admission/kind-webhook.js';
import { LABEL_IPPOOL_CIDR, LABEL_OWNER_SPIDER_SUBNET, LABEL_SUBNET_CIDR } from '../admission/spiderpool-keys.js';
import type { ClusterReader } from '../cluster/cluster-reader.port.js';
import type { FeatureFlags } from '../config/schema.js';
import { cidrLabelValue, familyOfCIDR, tryParseCIDR, type IPFamily } from '@spiderpool/ipam-core';
import { mergeSpecRanges } from '../admission/range-merge.js';
import { poolSpec } from './ippool.rules.js';

/** SpiderIPPool mutating webhook (crds.md §2.5). Never denies; a failing step stops the rest. */
export class IPPoolMutator {
  constructor(
    private readonly reader: ClusterReader,
    private readonly flags: FeatureFlags,
  ) {}

  async mutate(obj: KubeObject, log: Logger): Promise<KubeObject> {
    // IPP-M1
    if (isTerminating(obj)) return obj;
    // IPP-M2
    ensureFinalizer(obj);
    obj.spec ??= {};
    const spec = poolSpec(obj);
    // IPP-M3
    if (isNil(spec.ipVersion)) {
      const v = familyOfCIDR(spec.subnet ?? '');
      if (v === undefined) return obj;
      spec.ipVersion = v;
    }
    // IPP-M4
    if (tryParseCIDR(spec.subnet ?? '', spec.ipVersion as IPFamily) === undefined) return obj;
    const label = cidrLabelValue(spec.subnet ?? '', spec.ipVersion as IPFamily);
    if (obj.metadata?.labels?.[LABEL_IPPOOL_CIDR] !== label) setLabel(obj, LABEL_IPPOOL_CIDR, label);
    // IPP-M5
    if (this.flags.enableSpiderSubnet) {
      const ok = await this.bindToSubnet(obj, label, log);
      if (!ok) return obj;
    }
    const family = spec.ipVersion as IPFamily;
    // IPP-M6, IPP-M7
    mergeSpecRanges(spec, family);
    return obj;
  }

  /** IPP-M5 a–e. Returns false when a step failed (remaining mutation steps are skipped). */
  private async bindToSubnet(obj: KubeObject, label: string, log: Logger): Promise<boolean> {
    const meta = (obj.metadata ??= {});
    const owners = meta.ownerReferences ?? [];
    const controller = owners.find((o) => o.controller === true);
    // a.
    if (controller !== undefined && meta.labels?.[LABEL_OWNER_SPIDER_SUBNET] === controller.name) return true;
    // b.
    let subnets: KubeObject[];
    try {
      // crds.md §1.5: the one mutation lookup reads the cache, like upstream's cached client.
      subnets = await this.reader.listSubnets({ label: LABEL_SUBNET_CIDR, value: label }, { source: 'cache' });
    } catch (err) {
      log.warn({ err }, 'IPP-M5: listing SpiderSubnets failed; remaining mutation skipped');
      return false;
    }
    const subnet = subnets[0];
    if (subnet === undefined) return true;
    const name = subnet.metadata?.name ?? '';
    const uid = subnet.metadata?.uid ?? '';
    // c.
    if (controller === undefined) {
      meta.ownerReferences = [
        ...owners,
        {
          apiVersion: `${SPIDERPOOL_GROUP}/${SPIDERPOOL_VERSION}`,
          kind: 'SpiderSubnet',
          name,
          uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ];
    } else if (controller.uid !== uid) {
      log.warn({ owner: controller.name }, 'IPP-M5: pool already has a different controller; remaining mutation skipped');
      return false;
    }
    // d.
    setLabel(obj, LABEL_OWNER_SPIDER_SUBNET, name);
    // e.
    const spec = poolSpec(obj);
    const sSpec = (subnet.spec ?? {}) as { gateway?: string | null; routes?: { dst: string; gw: string }[] | null };
    if (isNil(spec.gateway) && !isNil(sSpec.gateway)) spec.gateway = sSpec.gateway;
    if ((sSpec.routes ?? []).length > 0 && isNil(spec.routes)) spec.routes = structuredClone(sSpec.routes ?? []);
    return true;
  }
}
