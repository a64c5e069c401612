import { API_GROUP_VERSION, FINALIZER, LABEL_SUBNET_CIDR } from '@spiderpool/crd-types';
import {
  cidrLabelValue,
  IpamError,
  LABEL_OWNER_SPIDER_SUBNET,
  parseApplicationKey,
  parseControlledIPPools,
  type ApplicationRef,
  type ControlledIPPool,
  LABEL_OWNER_APPLICATION_NAME,
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
import { kindByName } from '../api-client/resource-kinds.js';
import type { ApplicationLookup } from '../autopool/application.lookup.js';
import type { EventPort } from '../events/event.port.js';
import type { IPPoolManager } from '../ippool/ippool.manager.js';
import type { PoolObject, SubnetObject } from '../ippool/ippool.types.js';
import type { ControllerMetrics } from '../metrics/controller.metrics.js';
import type { SubnetManager } from './subnet.manager.js';
import { planControlledIPPools, sameSubnetStatus, subnetFamily, subnetStatusFor, usableIPs } from './subnet-status.js';

export const SUBNET_EVENT_REASONS = {
  invalidSpec: 'InvalidSpec',
  invalidStatus: 'InvalidStatus',
  poolAdopted: 'IPPoolAdopted',
  poolOwnedElsewhere: 'IPPoolOwnedElsewhere',
  released: 'SubnetReleased',
} as const;

/** Index name of the pool informer: pools by `ipam.spidernet.io/owner-spider-subnet`. */
export const POOLS_BY_SUBNET = 'subnet';

/** Starts a delete watch for a third-party application kind (ipam.md §7.5 step 7). */
export interface ThirdPartyAppWatch {
  ensure(app: { apiVersion: string; kind: string }): void;
}

const FOREGROUND = 'foregroundDeletion';

function regardingOf(subnet: SubnetObject): EventRegarding {
  return { apiVersion: API_GROUP_VERSION, kind: 'SpiderSubnet', name: subnet.metadata.name ?? '', ...(subnet.metadata.uid ? { uid: subnet.metadata.uid } : {}) };
}

/** What adopting a pool changes: controller owner, owner label, inherited gateway/routes; undefined = nothing. */
export function adoptPool(pool: PoolObject, subnet: SubnetObject): PoolObject | undefined | 'owned-elsewhere' {
  const name = subnet.metadata.name ?? '';
  const owners = pool.metadata.ownerReferences ?? [];
  const controller = owners.find((o) => o.controller);
  if (controller && (controller.kind !== 'SpiderSubnet' || controller.uid !== subnet.metadata.uid)) {
    // A stale reference to a deleted namesake is replaced; another live controller is not overridden.
    if (controller.kind !== 'SpiderSubnet' || controller.name !== name) return 'owned-elsewhere';
  }
  const needOwner = controller?.uid !== subnet.metadata.uid;
  const needLabel = pool.metadata.labels?.[LABEL_OWNER_SPIDER_SUBNET] !== name;
  const needGateway = !pool.spec.gateway && Boolean(subnet.spec.gateway);
  const needRoutes = pool.spec.routes === undefined && subnet.spec.routes !== undefined;
  if (!needOwner && !needLabel && !needGateway && !needRoutes) return undefined;
  const ownerRef = {
    apiVersion: API_GROUP_VERSION,
    kind: 'SpiderSubnet',
    name,
    uid: subnet.metadata.uid ?? '',
    controller: true,
  };
  return {
    ...pool,
    metadata: {
      ...pool.metadata,
      labels: { ...(pool.metadata.labels ?? {}), [LABEL_OWNER_SPIDER_SUBNET]: name },
      ownerReferences: needOwner ? [...owners.filter((o) => !o.controller), ownerRef] : owners,
    },
    spec: {
      ...pool.spec,
      ...(needGateway && subnet.spec.gateway ? { gateway: subnet.spec.gateway } : {}),
      ...(needRoutes && subnet.spec.routes ? { routes: subnet.spec.routes } : {}),
    },
  };
}

/**
 * SpiderSubnet upkeep (controller-and-chart.md §3.3, ipam.md §7.6): the `subnet-cidr` label and our finalizer,
 * adoption of pools carved from the subnet, `status.controlledIPPools` / counts, and deletion: foreground
 * propagation so owned pools go first, then the finalizer is removed once no pool is recorded any more.
 */
export class SubnetReconciler implements Reconciler {
  constructor(
    private readonly subnets: CacheReader<SubnetObject>,
    private readonly pools: CacheReader<PoolObject>,
    private readonly manager: SubnetManager,
    private readonly poolManager: IPPoolManager,
    private readonly apps: ApplicationLookup,
    private readonly events: EventPort,
    private readonly metrics?: ControllerMetrics,
    private readonly thirdParty?: ThirdPartyAppWatch,
  ) {}

  async reconcile(key: ObjectKey, ctx: ReconcileContext): Promise<ReconcileResult> {
    const subnet = this.subnets.get(key);
    if (subnet === undefined) {
      this.metrics?.forgetSubnet(key.name);
      return {};
    }
    const name = key.name;
    const regarding = regardingOf(subnet);
    let family: 4 | 6;
    try {
      family = subnetFamily(subnet);
      usableIPs(family, subnet.spec);
    } catch (err) {
      if (!(err instanceof IpamError)) throw err;
      await this.events.record(regarding, { type: 'Warning', reason: SUBNET_EVENT_REASONS.invalidSpec, action: 'Reconcile', note: err.message });
      throw new TerminalError(err.message, { cause: err, reason: SUBNET_EVENT_REASONS.invalidSpec });
    }
    let current: Map<string, ControlledIPPool>;
    try {
      current = parseControlledIPPools(subnet.status?.controlledIPPools);
    } catch (err) {
      const note = `status.controlledIPPools is malformed; auto pools cannot grow from this subnet: ${(err as Error).message}`;
      await this.events.record(regarding, { type: 'Warning', reason: SUBNET_EVENT_REASONS.invalidStatus, action: 'Reconcile', note });
      throw new TerminalError(note, { cause: err, reason: SUBNET_EVENT_REASONS.invalidStatus });
    }
    const deleting = Boolean(subnet.metadata.deletionTimestamp);

    if (deleting) {
      const finalizers = subnet.metadata.finalizers ?? [];
      if (finalizers.includes(FINALIZER) && !finalizers.includes(FOREGROUND)) {
        await this.manager.deleteForeground(name, subnet.metadata.uid);
      }
    } else {
      await this.ensureMetadata(name, family);
      await this.adoptPools(subnet, ctx);
    }

    // Auto-pool entries: kept while the pool exists, or (not while deleting) while the application exists.
    const verdicts = new Map<string, boolean>();
    for (const [poolName, entry] of current) {
      if (entry.application === undefined) continue;
      const app = parseApplicationKey(entry.application);
      if (app !== undefined && kindByName(app.apiVersion, app.kind) === undefined) this.thirdParty?.ensure(app);
      if (this.pools.get({ name: poolName }) !== undefined) verdicts.set(poolName, true);
      else if (deleting || app === undefined) verdicts.set(poolName, false);
      else verdicts.set(poolName, (await this.apps.uidOf(app as Omit<ApplicationRef, 'uid'>)) !== undefined);
    }
    const manualPools = this.pools.byIndex(POOLS_BY_SUBNET, name).filter((p) => p.metadata.labels?.[LABEL_OWNER_APPLICATION_NAME] === undefined);
    let controlledCount = 0;
    let status: ReturnType<typeof subnetStatusFor> | undefined;
    await this.manager.updateStatus(name, (live) => {
      const liveCurrent = parseControlledIPPools(live.status?.controlledIPPools);
      // Entries added since our cache read (a growing auto pool) were not judged: keep them.
      const next = planControlledIPPools({ subnet: live, current: liveCurrent, manualPools, keepAutoEntry: (pool) => verdicts.get(pool) ?? true });
      controlledCount = next.size;
      status = subnetStatusFor(live, next);
      return sameSubnetStatus(live.status, status) ? undefined : status;
    });
    if (status !== undefined) {
      this.metrics?.subnetPoolCounts.set({ SpiderSubnet: name }, controlledCount);
      this.metrics?.subnetTotalIPs.set({ SpiderSubnet: name }, status.totalIPCount ?? 0);
      this.metrics?.subnetAvailableIPs.set({ SpiderSubnet: name }, (status.totalIPCount ?? 0) - (status.allocatedIPCount ?? 0));
    }
    if (deleting && status !== undefined && status.controlledIPPools === undefined) {
      const released = await this.manager.update(name, (live) => {
        if (live.status?.controlledIPPools || !(live.metadata.finalizers ?? []).includes(FINALIZER)) return undefined;
        return { ...live, metadata: { ...live.metadata, finalizers: (live.metadata.finalizers ?? []).filter((f) => f !== FINALIZER) } };
      });
      if (released) ctx.log.info('removed finalizer of a subnet no pool uses any more');
    }
    return {};
  }

  /** `subnet-cidr` label and our finalizer (the mutating webhook sets both; we repair them if it was bypassed). */
  private async ensureMetadata(name: string, family: 4 | 6): Promise<void> {
    await this.manager.update(name, (live) => {
      if (live.metadata.deletionTimestamp) return undefined;
      const label = cidrLabelValue(live.spec.subnet, family);
      const finalizers = live.metadata.finalizers ?? [];
      if (live.metadata.labels?.[LABEL_SUBNET_CIDR] === label && finalizers.includes(FINALIZER)) return undefined;
      return {
        ...live,
        metadata: {
          ...live.metadata,
          labels: { ...(live.metadata.labels ?? {}), [LABEL_SUBNET_CIDR]: label },
          finalizers: finalizers.includes(FINALIZER) ? finalizers : [...finalizers, FINALIZER],
        },
      };
    });
  }

  /** Every pool whose `spec.subnet` equals the subnet's is adopted (§3.3 step 2). */
  private async adoptPools(subnet: SubnetObject, ctx: ReconcileContext): Promise<void> {
    for (const pool of this.pools.list()) {
      if (pool.spec.subnet !== subnet.spec.subnet || pool.metadata.deletionTimestamp) continue;
      const verdict = adoptPool(pool, subnet);
      if (verdict === undefined) continue;
      const poolName = pool.metadata.name ?? '';
      if (verdict === 'owned-elsewhere') {
        await this.events.record(regardingOf(subnet), {
          type: 'Warning',
          reason: SUBNET_EVENT_REASONS.poolOwnedElsewhere,
          action: 'Adopt',
          note: `pool ${poolName} has spec.subnet ${subnet.spec.subnet} but another controller owns it`,
        });
        continue;
      }
      const adopted = await this.poolManager.update(poolName, (live) => {
        if (live.spec.subnet !== subnet.spec.subnet || live.metadata.deletionTimestamp) return undefined;
        const next = adoptPool(live, subnet);
        return next === 'owned-elsewhere' ? undefined : next;
      });
      if (adopted) ctx.log.info({ pool: poolName }, 'adopted pool');
    }
  }
}
