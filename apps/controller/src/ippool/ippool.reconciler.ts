import { API_GROUP_VERSION, FINALIZER, LABEL_OWNER_APPLICATION_NAME } from '@spiderpool/crd-types';
import {
  reservedIPSet,
  apiVersionFromGvLabel,
  IpamError,
  IPSet,
  LABEL_AUTO_POOL_RECLAIM,
  LABEL_OWNER_APPLICATION_GV,
  LABEL_OWNER_APPLICATION_KIND,
  LABEL_OWNER_APPLICATION_NAMESPACE,
  LABEL_OWNER_APPLICATION_UID,
  parseAllocatedIPs,
  parseCIDR,
  parseIP,
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
import type { ApplicationLookup } from '../autopool/application.lookup.js';
import type { EventPort } from '../events/event.port.js';
import type { ControllerMetrics } from '../metrics/controller.metrics.js';
import type { IPPoolManager } from './ippool.manager.js';
import type { PoolObject, ReservedIPObject } from './ippool.types.js';

export const IPPOOL_EVENT_REASONS = {
  invalidSpec: 'InvalidSpec',
  allocatedOutOfRange: 'AllocatedIPOutOfRange',
  reservedAllocated: 'ReservedIPAllocated',
  autoPoolReclaimed: 'AutoPoolReclaimed',
} as const;

/**
 * Saturation of totalIPCount. Upstream saturates at 2^63−1 (§3.1 step 4); a JS number cannot carry that exactly
 * through JSON (it would round to 2^63 and overflow int64), so we saturate at 2^53−1 (docs/compat.md).
 */
const MAX_COUNT = BigInt(Number.MAX_SAFE_INTEGER);

export interface PoolFacts {
  readonly family: IPFamily;
  readonly total: IPSet;
  readonly totalIPCount: number;
  readonly allocated: readonly string[];
  readonly outOfRange: readonly string[];
  readonly reservedInUse: readonly string[];
}

/** Pure: counts and problems of one pool. Throws IpamError on malformed spec/status. */
export function poolFacts(pool: PoolObject, reserved: IPSet | ((family: IPFamily) => IPSet)): PoolFacts {
  const subnet = parseCIDR(pool.spec.subnet);
  const family = (pool.spec.ipVersion ?? subnet.family) as IPFamily;
  const subnetSet = IPSet.fromIntervals(family, [{ lo: subnet.lo, hi: subnet.hi }]);
  const ips = IPSet.fromRanges(family, pool.spec.ips ?? []);
  if (!subnetSet.containsSet(ips))
    throw new TerminalError(`spec.ips of pool ${pool.metadata.name} are not inside ${pool.spec.subnet}`, {
      reason: IPPOOL_EVENT_REASONS.invalidSpec,
    });
  const total = ips.subtract(IPSet.fromRanges(family, pool.spec.excludeIPs ?? []));
  const size = total.size > MAX_COUNT ? MAX_COUNT : total.size;
  const records = parseAllocatedIPs(pool.status?.allocatedIPs);
  const reservedSet = typeof reserved === 'function' ? reserved(family) : reserved;
  const outOfRange: string[] = [];
  const reservedInUse: string[] = [];
  for (const ip of records.keys()) {
    const value = parseIP(ip).value;
    if (!total.has(value)) outOfRange.push(ip);
    if (reservedSet.has(value)) reservedInUse.push(ip);
  }
  return {
    family,
    total,
    totalIPCount: Number(size),
    allocated: [...records.keys()],
    outOfRange,
    reservedInUse,
  };
}

export interface IPPoolReconcilerOptions {
  /** SpiderSubnet and auto pools enabled: run the auto-pool backstop (§3.1 step 1). */
  readonly autoPoolBackstop: boolean;
}

/**
 * SpiderIPPool status upkeep (controller-and-chart.md §3.1, ipam.md §9.5): initialise/refresh `allocatedIPCount`
 * and `totalIPCount`, let a terminating pool go once empty, delete orphaned auto pools, and report allocated IPs
 * that fall outside `ips − excludeIPs` or are reserved as Warning Events on the pool.
 */
export class IPPoolReconciler implements Reconciler {
  constructor(
    private readonly pools: CacheReader<PoolObject>,
    private readonly reservedIPs: CacheReader<ReservedIPObject>,
    private readonly manager: IPPoolManager,
    private readonly apps: ApplicationLookup,
    private readonly events: EventPort,
    private readonly options: IPPoolReconcilerOptions,
    private readonly metrics?: ControllerMetrics,
  ) {}

  async reconcile(key: ObjectKey, ctx: ReconcileContext): Promise<ReconcileResult> {
    const pool = this.pools.get(key);
    if (pool === undefined) {
      this.metrics?.forgetPool(key.name);
      return {};
    }
    const regarding = regardingOf(pool);
    if (this.options.autoPoolBackstop && (await this.reclaimOrphanAutoPool(pool, regarding, ctx))) return {};
    if (pool.metadata.deletionTimestamp) {
      if (!pool.status?.allocatedIPs && (pool.metadata.finalizers ?? []).includes(FINALIZER)) {
        if (await this.manager.removeFinalizerIfEmpty(key.name))
          ctx.log.info('removed finalizer of empty terminating pool');
      }
      return {};
    }
    let facts: PoolFacts;
    try {
      facts = poolFacts(pool, (family) => reservedIPSet(this.reservedIPs.list(), family));
    } catch (err) {
      if (err instanceof IpamError || err instanceof TerminalError) {
        await this.events.record(regarding, {
          type: 'Warning',
          reason: IPPOOL_EVENT_REASONS.invalidSpec,
          action: 'Reconcile',
          note: err.message,
        });
        throw err instanceof TerminalError
          ? err
          : new TerminalError(err.message, { cause: err, reason: IPPOOL_EVENT_REASONS.invalidSpec });
      }
      throw err;
    }
    const changed = await this.manager.updateStatus(key.name, (live) => {
      const liveCount = parseAllocatedIPs(live.status?.allocatedIPs).size;
      const status = live.status ?? {};
      if (status.totalIPCount === facts.totalIPCount && status.allocatedIPCount === liveCount)
        return undefined;
      return { ...status, totalIPCount: facts.totalIPCount, allocatedIPCount: liveCount };
    });
    if (changed) ctx.log.debug({ totalIPCount: facts.totalIPCount }, 'pool status updated');
    if (facts.outOfRange.length > 0) {
      await this.events.record(regarding, {
        type: 'Warning',
        reason: IPPOOL_EVENT_REASONS.allocatedOutOfRange,
        action: 'Reconcile',
        note: `allocated IPs outside spec.ips − spec.excludeIPs: ${facts.outOfRange.slice(0, 20).join(', ')}`,
      });
    }
    if (facts.reservedInUse.length > 0) {
      await this.events.record(regarding, {
        type: 'Warning',
        reason: IPPOOL_EVENT_REASONS.reservedAllocated,
        action: 'Reconcile',
        note: `allocated IPs are reserved by a SpiderReservedIP and will not be handed out again once released: ${facts.reservedInUse.slice(0, 20).join(', ')}`,
      });
    }
    this.metrics?.poolTotalIPs.set({ SpiderIPPool: key.name }, facts.totalIPCount);
    this.metrics?.poolAvailableIPs.set(
      { SpiderIPPool: key.name },
      facts.totalIPCount - facts.allocated.length,
    );
    return {};
  }

  /** §3.1 step 1: an empty reclaimable auto pool whose application is gone (or replaced) is deleted. */
  private async reclaimOrphanAutoPool(
    pool: PoolObject,
    regarding: EventRegarding,
    ctx: ReconcileContext,
  ): Promise<boolean> {
    const labels = pool.metadata.labels ?? {};
    const appName = labels[LABEL_OWNER_APPLICATION_NAME];
    if (
      appName === undefined ||
      pool.metadata.deletionTimestamp ||
      labels[LABEL_AUTO_POOL_RECLAIM] !== 'true'
    )
      return false;
    if (pool.status?.allocatedIPs) return false;
    const apiVersion = apiVersionFromGvLabel(labels[LABEL_OWNER_APPLICATION_GV] ?? '');
    if (apiVersion === undefined) {
      throw new TerminalError(
        `auto pool ${pool.metadata.name} has a malformed ${LABEL_OWNER_APPLICATION_GV} label`,
        { reason: IPPOOL_EVENT_REASONS.invalidSpec },
      );
    }
    const uid = await this.apps.uidOf({
      apiVersion,
      kind: labels[LABEL_OWNER_APPLICATION_KIND] ?? '',
      namespace: labels[LABEL_OWNER_APPLICATION_NAMESPACE] ?? '',
      name: appName,
    });
    if (uid !== undefined && uid === labels[LABEL_OWNER_APPLICATION_UID]) return false;
    await this.manager.delete(pool.metadata.name ?? '', pool.metadata.uid);
    ctx.log.info({ application: appName }, 'deleted auto pool of a deleted application');
    await this.events.record(regarding, {
      type: 'Normal',
      reason: IPPOOL_EVENT_REASONS.autoPoolReclaimed,
      action: 'Delete',
      note: `application ${appName} no longer exists`,
    });
    return true;
  }
}

export function regardingOf(pool: PoolObject): EventRegarding {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: 'SpiderIPPool',
    name: pool.metadata.name ?? '',
    ...(pool.metadata.uid ? { uid: pool.metadata.uid } : {}),
  };
}
