import {
  AutoPoolIPsError,
  desiredAutoPoolSize,
  InvalidSpecError,
  parseWorkloadSubnetConfig,
  type ApplicationRef,
  type IPFamily,
} from '@spiderpool/ipam-core';
import {
  TerminalError,
  type CacheReader,
  type EventRegarding,
  type ObjectKey,
  type ReconcileContext,
  type ReconcileResult,
  type Reconciler,
} from '@spiderpool/k8s-runtime';
import type { ResourceKind } from '../api-client/object-client.port.js';
import type { EventPort } from '../events/event.port.js';
import { AUTOPOOL_EVENT_REASONS, SubnetNotFoundError, type AutoPoolManager } from './autopool.manager.js';
import { isIgnoredWorkload, podTemplateOf, replicasOf, type WorkloadObject } from './workload.js';

export interface AutoPoolReconcilerOptions {
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
  /** conf.yml default redundancy when a workload has no `ippool-ip-number`. */
  readonly defaultRedundant: number;
}

/**
 * Auto pools of one workload kind (ipam.md §7.5), one controller per kind (the key is namespace/name only):
 * a workload annotated with `ipam.spidernet.io/subnet(s)` gets one pool per NIC and IP family, sized `N` or
 * replicas + N and resized with its replicas; a workload that is gone (or terminating) has its reclaimable pools
 * deleted, their IPs going back to the subnet once the pods released them.
 */
export class AutoPoolReconciler implements Reconciler {
  constructor(
    private readonly kind: ResourceKind,
    private readonly workloads: CacheReader<WorkloadObject>,
    private readonly manager: AutoPoolManager,
    private readonly events: EventPort,
    private readonly options: AutoPoolReconcilerOptions,
  ) {}

  async reconcile(key: ObjectKey, ctx: ReconcileContext): Promise<ReconcileResult> {
    const namespace = key.namespace ?? '';
    const identity = { apiVersion: this.kind.apiVersion, kind: this.kind.kind, namespace, name: key.name };
    const obj = this.workloads.get(key);
    if (obj === undefined || obj.metadata.deletionTimestamp) {
      const reclaimed = await this.manager.reclaim(identity);
      if (reclaimed.length > 0) ctx.log.info({ pools: reclaimed }, 'reclaimed auto pools of a deleted workload');
      return {};
    }
    if (isIgnoredWorkload(this.kind.kind, obj)) return {};
    const regarding = this.regardingOf(obj);
    let config;
    try {
      config = parseWorkloadSubnetConfig(podTemplateOf(this.kind.kind, obj)?.metadata?.annotations, this.options);
    } catch (err) {
      if (!(err instanceof InvalidSpecError)) throw err;
      await this.events.record(regarding, { type: 'Warning', reason: AUTOPOOL_EVENT_REASONS.invalidAnnotation, action: 'Reconcile', note: err.message });
      throw new TerminalError(err.message, { cause: err, reason: AUTOPOOL_EVENT_REASONS.invalidAnnotation });
    }
    if (config === undefined) return {};
    const replicas = replicasOf(this.kind.kind, obj);
    const desired = desiredAutoPoolSize({ replicas, ipNumber: config.ipNumber, defaultRedundant: this.options.defaultRedundant });
    const ipNumber = config.ipNumber ?? { flexible: true, count: this.options.defaultRedundant };
    const app: ApplicationRef = { ...identity, uid: obj.metadata.uid ?? '' };
    const work: Array<{ subnetName: string; family: IPFamily; nic: string }> = [];
    for (const item of config.items) {
      if (item.ipv4Subnet) work.push({ subnetName: item.ipv4Subnet, family: 4, nic: item.nic });
      if (item.ipv6Subnet) work.push({ subnetName: item.ipv6Subnet, family: 6, nic: item.nic });
    }
    const results = await Promise.allSettled(
      work.map((w) => this.manager.ensure({ ...w, app, desired, ipNumber, reclaim: config.reclaim })),
    );
    const failures: unknown[] = [];
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') {
        if (r.value.change !== 'none') ctx.log.info({ pool: r.value.pool, change: r.value.change, desired }, 'auto pool reconciled');
        continue;
      }
      failures.push(r.reason);
      await this.report(regarding, work[i]?.subnetName ?? '', r.reason);
    }
    // A retryable failure wins over a terminal one, so the pools that can still converge get their retry.
    const retryable = failures.find((f) => !(f instanceof TerminalError));
    if (retryable !== undefined || failures.length > 0) throw retryable ?? failures[0];
    return {};
  }

  private async report(regarding: EventRegarding, subnet: string, err: unknown): Promise<void> {
    let reason: string | undefined;
    if (err instanceof SubnetNotFoundError) reason = AUTOPOOL_EVENT_REASONS.subnetNotFound;
    else if (err instanceof AutoPoolIPsError) reason = AUTOPOOL_EVENT_REASONS.ipsNotEnough;
    else if (err instanceof TerminalError) reason = err.reason;
    if (reason === undefined) return;
    await this.events.record(regarding, { type: 'Warning', reason, action: 'Reconcile', note: `subnet ${subnet}: ${(err as Error).message}` });
  }

  private regardingOf(obj: WorkloadObject): EventRegarding {
    return {
      apiVersion: this.kind.apiVersion,
      kind: this.kind.kind,
      name: obj.metadata.name ?? '',
      ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
      ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}),
    };
  }
}
