import { cidrsOverlap, tryParseCIDR, type CIDR, type IPFamily } from '@spiderpool/ipam-core';
import type { KubeObject } from '../admission/kind-webhook.js';
import type { IPPoolIndex } from './ippool-index.port.js';

/**
 * In-memory IPPoolIndex for unit tests: `pools` is what the informer saw; `synced: false` forces the fallback;
 * `fresh: false` makes the read barrier time out (the index lags the API server).
 */
export class FakeIPPoolIndex implements IPPoolIndex {
  pools: KubeObject[] = [];
  synced = true;
  fresh = true;
  /** The resourceVersions the validator waited for. */
  readonly barriers: string[] = [];

  async waitUntilFresh(resourceVersion: string): Promise<boolean> {
    this.barriers.push(resourceVersion);
    return this.fresh;
  }

  overlapping(family: IPFamily, cidr: CIDR, name: string): KubeObject[] | undefined {
    if (!this.synced) return undefined;
    return this.pools.filter((p) => {
      if (p.metadata?.name === name) return true;
      const other = tryParseCIDR(String(p.spec?.['subnet'] ?? ''), family);
      return other !== undefined && cidrsOverlap(cidr, other);
    });
  }
}
