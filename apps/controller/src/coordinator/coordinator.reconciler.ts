import { API_GROUP_VERSION, SpiderCoordinatorSchema } from '@spiderpool/crd-types';
import {
  isAlreadyExists,
  TerminalError,
  type EventInput,
  type EventRegarding,
  type ObjectKey,
  type ReconcileContext,
  type ReconcileResult,
  type Reconciler,
} from '@spiderpool/k8s-runtime';
import type { CoordinatorOptions } from './coordinator.config.js';
import type { CoordinatorClusterReader, CoordinatorManager } from './coordinator.manager.js';
import { detectCoordinatorStatus, planDefaultCoordinator, sameStatus } from './coordinator-status.js';

export interface CoordinatorEventPort {
  record(regarding: EventRegarding, input: EventInput): Promise<void>;
}

/**
 * Maintains the default SpiderCoordinator (controller-and-chart.md §2.3, §2.4): creates it from configuration
 * when missing, re-applies the configuration when it changed, and keeps `status` (phase, overlayPodCIDR,
 * serviceCIDR, reason) in sync with the cluster. Other SpiderCoordinators are ignored. Polls every resync period
 * because CNI directory, Calico and Cilium pools are not watched.
 */
export class CoordinatorReconciler implements Reconciler {
  constructor(
    private readonly options: Pick<CoordinatorOptions, 'name' | 'defaultSpec' | 'ciliumConfigMap' | 'resyncPeriodMs'>,
    private readonly coordinators: CoordinatorManager,
    private readonly reader: CoordinatorClusterReader,
    private readonly events: CoordinatorEventPort,
  ) {}

  async reconcile(key: ObjectKey, ctx: ReconcileContext): Promise<ReconcileResult> {
    if (key.name !== this.options.name) return {};
    const requeue = this.options.resyncPeriodMs > 0 ? { requeueAfterMs: this.options.resyncPeriodMs } : {};

    let live = await this.coordinators.get(key.name);
    const plan = planDefaultCoordinator(live, key.name, this.options.defaultSpec);
    if (plan.action === 'create') {
      try {
        live = await this.coordinators.create(plan.object);
        ctx.log.info('created the default SpiderCoordinator');
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      live = await this.coordinators.get(key.name);
    } else if (plan.action === 'patch') {
      await this.coordinators.patch(key.name, plan.patch);
      ctx.log.info('applied the configured default SpiderCoordinator spec');
      live = await this.coordinators.get(key.name);
    }
    if (!live || ctx.signal.aborted) return {};

    const parsed = SpiderCoordinatorSchema.safeParse(live);
    const regarding: EventRegarding = {
      apiVersion: API_GROUP_VERSION,
      kind: 'SpiderCoordinator',
      name: key.name,
      ...(live.metadata?.uid ? { uid: live.metadata.uid } : {}),
    };
    if (!parsed.success) {
      const note = `invalid SpiderCoordinator: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
      await this.events.record(regarding, { type: 'Warning', reason: 'InvalidSpec', action: 'Reconcile', note });
      throw new TerminalError(note, { reason: 'InvalidSpec', cause: parsed.error });
    }
    const coordinator = parsed.data;

    const outcome = await detectCoordinatorStatus(coordinator.spec, coordinator.status, this.reader, {
      ciliumConfigMap: this.options.ciliumConfigMap,
    });
    if (ctx.signal.aborted) return {};
    for (const w of outcome.warnings) {
      await this.events.record(regarding, { type: 'Warning', reason: w.reason, action: 'DetectCIDR', note: w.note });
    }
    if (sameStatus(coordinator.status, outcome.status)) return requeue;

    await this.coordinators.patchStatus(key.name, outcome.status);
    const transitioned = coordinator.status?.phase !== outcome.status.phase;
    const s = outcome.status;
    ctx.log[s.phase === 'Synced' ? 'info' : 'warn'](
      { phase: s.phase, reason: s.reason ?? undefined, overlayPodCIDR: s.overlayPodCIDR, serviceCIDR: s.serviceCIDR },
      'SpiderCoordinator status updated',
    );
    if (transitioned) {
      await this.events.record(
        regarding,
        s.phase === 'Synced'
          ? {
              type: 'Normal',
              reason: 'Synced',
              action: 'DetectCIDR',
              note: `overlayPodCIDR [${s.overlayPodCIDR.join(', ')}], serviceCIDR [${s.serviceCIDR.join(', ')}]`,
            }
          : { type: 'Warning', reason: 'NotReady', action: 'DetectCIDR', note: s.reason ?? 'not ready' },
      );
    }
    return requeue;
  }
}
