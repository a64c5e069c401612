import { cidrsOverlap, tryParseCIDR, type CIDR, type IPFamily } from '@spiderpool/ipam-core';
import type { KubeObject } from '../admission/kind-webhook.js';
import { LABEL_IPPOOL_CIDR } from '../admission/spiderpool-keys.js';
import type { IPPoolIndex } from './ippool-index.port.js';

/** In-memory IPPoolIndex for unit tests: `pools` is what the informer saw; `synced: false` forces the fallback. */
export class FakeIPPoolIndex implements IPPoolIndex {
  pools: KubeObject[] = [];
  synced = true;

  overlapping(family: IPFamily, cidr: CIDR, name: string): KubeObject[] | undefined {
    if (!this.synced) return undefined;
    return this.pools.filter((p) => {
      if (p.metadata?.name === name) return true;
      const other = tryParseCIDR(String(p.spec?.['subnet'] ?? ''), family);
      return other !== undefined && cidrsOverlap(cidr, other);
    });
  }

  byCIDRLabel(value: string): KubeObject[] | undefined {
    if (!this.synced) return undefined;
    return this.pools.filter((p) => p.metadata?.labels?.[LABEL_IPPOOL_CIDR] === value);
  }
}
