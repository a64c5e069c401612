import { KubeConfig } from '@kubernetes/client-node';
import { cidrsOverlap, tryParseCIDR, type CIDR, type IPFamily } from '@spiderpool/ipam-core';
import { Informer, KubeListWatchSource, labelIndex } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import type { KubeObject } from '../admission/kind-webhook.js';
import { LABEL_IPPOOL_CIDR } from '../admission/spiderpool-keys.js';
import type { IPPoolIndex } from './ippool-index.port.js';

const BY_CIDR_LABEL = 'ippool-cidr';
const BY_FAMILY = 'family';

/** The family a pool is indexed under: `spec.ipVersion`, else the family of `spec.subnet`. */
const familyOf = (pool: KubeObject): string[] => {
  const v = pool.spec?.['ipVersion'];
  if (v === 4 || v === 6) return [String(v)];
  const cidr = tryParseCIDR(String(pool.spec?.['subnet'] ?? ''));
  return cidr === undefined ? [] : [String(cidr.family)];
};

/**
 * IPPoolIndex over a `@spiderpool/k8s-runtime` Informer of SpiderIPPools, indexed by family and by the
 * `ippool-cidr` label. The overlap scan walks the pools of one family in memory (microseconds for thousands).
 * Lifecycle: `start()` / `stop()` (owned by the webhook's Nest lifecycle hooks).
 */
export class InformerIPPoolIndex implements IPPoolIndex {
  constructor(private readonly informer: Informer<KubeObject>) {}

  static fromKubeconfig(path: string | undefined, logger: Logger): InformerIPPoolIndex {
    const kc = new KubeConfig();
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
    const source = new KubeListWatchSource<KubeObject>(kc, { apiVersion: 'spiderpool.spidernet.io/v2beta1', plural: 'spiderippools' });
    return new InformerIPPoolIndex(
      new Informer<KubeObject>({
        name: 'webhook-spiderippools',
        source,
        logger,
        indexers: { [BY_CIDR_LABEL]: labelIndex(LABEL_IPPOOL_CIDR), [BY_FAMILY]: familyOf },
      }),
    );
  }

  start(): void {
    this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  /** Resolves once the first list is cached (tests and the bench use it; admission never waits, it falls back). */
  waitForSync(): Promise<void> {
    return this.informer.waitForSync();
  }

  /** Whether the informer has seen a pool of this name (tests wait on it before depending on the index). */
  has(name: string): boolean {
    return this.informer.get(name) !== undefined;
  }

  overlapping(family: IPFamily, cidr: CIDR, name: string): KubeObject[] | undefined {
    if (!this.informer.hasSynced()) return undefined;
    const out = this.informer.byIndex(BY_FAMILY, String(family)).filter((p) => {
      const other = tryParseCIDR(String(p.spec?.['subnet'] ?? ''), family);
      return other !== undefined && cidrsOverlap(cidr, other);
    });
    const same = this.informer.get(name);
    return same !== undefined && !out.includes(same) ? [...out, same] : out;
  }

  byCIDRLabel(value: string): KubeObject[] | undefined {
    if (!this.informer.hasSynced()) return undefined;
    return this.informer.byIndex(BY_CIDR_LABEL, value);
  }
}
