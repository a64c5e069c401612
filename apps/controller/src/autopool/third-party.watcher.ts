import type { KubeConfig } from '@kubernetes/client-node';
import { Informer, KubeListWatchSource, LOG_FIELDS, type KubeObject, type Runnable, type RuntimeMetrics } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import type { ThirdPartyAppWatch } from '../subnet/subnet.reconciler.js';
import { resourceKindOf } from './application.lookup.js';
import type { AutoPoolManager } from './autopool.manager.js';

/**
 * Third-party applications (ipam.md §7.5 step 7): the agent creates their auto pools inline; the controller learns
 * their kinds from the subnets' `controlledIPPools` and watches each kind, deleting the reclaimable pools of an
 * application when it is deleted. Leader-gated; informers of one term are dropped when it ends (the next term
 * re-learns the kinds from the subnets). The plural is guessed (lower-case kind + `s`, docs/compat.md).
 */
export class ThirdPartyAppWatcher implements Runnable, ThirdPartyAppWatch {
  readonly name = 'third-party-apps';
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private running = false;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly manager: AutoPoolManager,
    private readonly log: Logger,
    private readonly metrics?: RuntimeMetrics,
  ) {}

  ensure(app: { apiVersion: string; kind: string }): void {
    const id = `${app.apiVersion}/${app.kind}`;
    if (!this.running || this.informers.has(id)) return;
    const kind = resourceKindOf(app.apiVersion, app.kind);
    const informer = new Informer<KubeObject>({
      name: `third-party-${kind.plural}`,
      logger: this.log,
      ...(this.metrics ? { metrics: this.metrics } : {}),
      source: new KubeListWatchSource(this.kubeConfig, { apiVersion: kind.apiVersion, plural: kind.plural }),
      maxConsecutiveFailures: 5,
    });
    informer.on({
      delete: (obj) => {
        const uid = obj.metadata?.uid;
        if (!uid) return;
        this.manager.reclaimUid(uid).then(
          (pools) => pools.length > 0 && this.log.info({ pools, [LOG_FIELDS.kind]: app.kind }, 'reclaimed auto pools of a deleted third-party application'),
          (err: unknown) => this.log.warn({ [LOG_FIELDS.err]: err }, 'reclaiming third-party auto pools failed (the pool backstop retries)'),
        );
      },
    });
    this.informers.set(id, informer);
    informer.start();
    this.log.info({ [LOG_FIELDS.kind]: app.kind, apiVersion: app.apiVersion }, 'watching third-party application kind');
  }

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
    this.informers.clear();
  }
}
