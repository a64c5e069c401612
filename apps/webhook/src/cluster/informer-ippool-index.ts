import { KubeConfig } from '@kubernetes/client-node';
import { cidrsOverlap, tryParseCIDR, type CIDR, type IPFamily } from '@spiderpool/ipam-core';
import { Informer, KubeListWatchSource, keepAliveKubeConfig, type Clock } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import type { KubeObject } from '../admission/kind-webhook.js';
import type { IPPoolIndex } from './ippool-index.port.js';
import { ResourceVersionBarrier } from './resource-version-barrier.js';

const BY_FAMILY = 'family';

/** The family a pool is indexed under: `spec.ipVersion`, else the family of `spec.subnet`. */
const familyOf = (pool: KubeObject): string[] => {
  const v = pool.spec?.['ipVersion'];
  if (v === 4 || v === 6) return [String(v)];
  const cidr = tryParseCIDR(String(pool.spec?.['subnet'] ?? ''));
  return cidr === undefined ? [] : [String(cidr.family)];
};

export interface InformerIPPoolIndexOptions {
  /** Bound of the read barrier; past it the validator lists live. Default 100 ms. */
  barrierTimeoutMs?: number;
  clock?: Clock;
}

/**
 * IPPoolIndex over a `@spiderpool/k8s-runtime` Informer of SpiderIPPools, indexed by family. The overlap scan walks
 * the pools of one family in memory (microseconds for thousands). The read barrier waits until the informer's
 * resourceVersion reaches a consistent one (ADR 0008). Lifecycle: `start()` / `stop()` (Nest lifecycle hooks).
 */
export class InformerIPPoolIndex implements IPPoolIndex {
  private readonly barrier: ResourceVersionBarrier;
  private readonly barrierTimeoutMs: number;
  /** How often the read barrier was reached within its bound, and how often the validator had to list live. */
  readonly barrierStats = { reached: 0, timedOut: 0 };

  constructor(
    private readonly informer: Informer<KubeObject>,
    options: InformerIPPoolIndexOptions = {},
  ) {
    this.barrierTimeoutMs = options.barrierTimeoutMs ?? 100;
    this.barrier = new ResourceVersionBarrier({
      current: () => informer.lastResourceVersion(),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const notify = (): void => this.barrier.notify();
    informer.on({ add: notify, update: notify, delete: notify });
  }

  static fromKubeconfig(path: string | undefined, logger: Logger, options: InformerIPPoolIndexOptions = {}): InformerIPPoolIndex {
    const kc = new KubeConfig();
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
    const source = new KubeListWatchSource<KubeObject>(keepAliveKubeConfig(kc), {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      plural: 'spiderippools',
    });
    return new InformerIPPoolIndex(
      new Informer<KubeObject>({ name: 'webhook-spiderippools', source, logger, indexers: { [BY_FAMILY]: familyOf } }),
      options,
    );
  }

  start(): void {
    this.informer.start();
  }

  stop(): Promise<void> {
    this.barrier.cancelAll();
    return this.informer.stop();
  }

  /** Resolves once the first list is cached (tests and the bench use it; admission never waits, it falls back). */
  waitForSync(): Promise<void> {
    return this.informer.waitForSync();
  }

  /** Whether the informer has seen a pool of this name. */
  has(name: string): boolean {
    return this.informer.get(name) !== undefined;
  }

  async waitUntilFresh(resourceVersion: string): Promise<boolean> {
    if (!this.informer.hasSynced()) return false;
    const reached = await this.barrier.waitFor(resourceVersion, this.barrierTimeoutMs);
    if (reached) this.barrierStats.reached++;
    else this.barrierStats.timedOut++;
    return reached;
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
}
