import { invalid, type Denial } from '../admission/denial.js';
import { fieldInternal, fieldInvalid, type FieldError } from '@spiderpool/crd-types';
import type { KubeObject } from '../admission/kind-webhook.js';
import { ANNO_MULTUS_CR_NAME } from '../admission/spiderpool-keys.js';
import type { ClusterReader } from '../cluster/cluster-reader.port.js';
import { isDNS1123Subdomain } from '@spiderpool/ipam-core';
import { checkChainCNIJsonData, checkMultusConfigType, smcSpec } from '@spiderpool/multus-config';
import { checkCoordinatorSpec, type CoordinatorSpec } from '../coordinator/coordinator.rules.js';

/** SpiderMultusConfig validating webhook (crds.md §6.3): first error only, always 422. */
export class MultusConfigValidator {
  constructor(private readonly reader: ClusterReader) {}

  async validateCreate(obj: KubeObject): Promise<Denial | null> {
    const nad = await this.checkTargetNAD(obj);
    if (nad) return nad;
    const e = checkMultusConfig(obj);
    return e ? invalid(e) : null;
  }

  async validateUpdate(oldObj: KubeObject, newObj: KubeObject): Promise<Denial | null> {
    // SMC-V1
    const before = oldObj.metadata?.annotations?.[ANNO_MULTUS_CR_NAME];
    const after = newObj.metadata?.annotations?.[ANNO_MULTUS_CR_NAME];
    if (before !== undefined && after !== undefined && before !== after) {
      return invalid(fieldInvalid('metadata.annotations', after, `${ANNO_MULTUS_CR_NAME} cannot be changed from '${before}'`));
    }
    if (before === undefined && after !== undefined) {
      return invalid(fieldInvalid('metadata.annotations', after, 'an existing net-attach-def cannot be switched to a custom name'));
    }
    return this.validateCreate(newObj);
  }

  /** SMC-V2: the target NAD is free or already ours. */
  private async checkTargetNAD(obj: KubeObject): Promise<Denial | null> {
    const ns = obj.metadata?.namespace ?? '';
    const own = obj.metadata?.name ?? '';
    const custom = obj.metadata?.annotations?.[ANNO_MULTUS_CR_NAME];
    if (custom !== undefined && !isDNS1123Subdomain(custom)) {
      return invalid(fieldInvalid('metadata.annotations', custom, 'invalid custom net-attach-def name, it must be a DNS-1123 subdomain'));
    }
    const target = custom ?? own;
    let nad: KubeObject | null;
    try {
      nad = await this.reader.getNetworkAttachmentDefinition(ns, target);
    } catch (err) {
      return invalid(fieldInternal('metadata.annotations', `failed to get net-attach-def ${ns}/${target}: ${(err as Error).message}`));
    }
    const other = (nad?.metadata?.ownerReferences ?? []).find((o) => o.kind === 'SpiderMultusConfig' && o.name !== own);
    if (other) {
      return invalid(
        fieldInvalid('metadata.annotations', target, `the net-attach-def ${ns}/${target} already exists and is managed by SpiderMultusConfig ${ns}/${other.name}`),
      );
    }
    return null;
  }
}

/** SMC-V3..V7, first error only: the pure rules of the multus-config lib around the coordinator rules (SMC-V6). */
export function checkMultusConfig(obj: KubeObject): FieldError | null {
  const typeError = checkMultusConfigType(obj);
  if (typeError) return typeError;
  const coordinator = smcSpec(obj).coordinator;
  if (coordinator !== null && coordinator !== undefined) {
    const c = checkCoordinatorSpec(structuredClone(coordinator) as CoordinatorSpec, { requireTopLevel: false });
    if (c) return c;
  }
  return checkChainCNIJsonData(obj);
}
