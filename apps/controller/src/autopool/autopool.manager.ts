import { API_GROUP_VERSION, FINALIZER } from '@spiderpool/crd-types';
import {
  ANNOTATION_IPPOOL_IP_NUMBER,
  applicationGvLabel,
  applicationKey,
  autoPoolLabels,
  autoPoolLookupLabels,
  autoPoolName,
  autoPoolPodAffinity,
  formatAutoPoolIPNumber,
  IPSet,
  LABEL_AUTO_POOL_RECLAIM,
  LABEL_OWNER_APPLICATION_GV,
  LABEL_OWNER_APPLICATION_KIND,
  LABEL_OWNER_APPLICATION_NAME,
  LABEL_OWNER_APPLICATION_NAMESPACE,
  LABEL_OWNER_APPLICATION_UID,
  parseAllocatedIPs,
  parseControlledIPPools,
  parseIP,
  planAutoPoolIPs,
  type ApplicationRef,
  type AutoPoolIPNumber,
  type AutoPoolIPPlan,
  type IPFamily,
} from '@spiderpool/ipam-core';
import { DEFAULT_RETRY, retryOnConflict, TerminalError, type RetryPolicy } from '@spiderpool/k8s-runtime';
import type { ObjectClient } from '../api-client/object-client.port.js';
import { KINDS } from '../api-client/resource-kinds.js';
import type { PoolObject, SubnetObject } from '../ippool/ippool.types.js';
import type { SubnetManager } from '../subnet/subnet.manager.js';
import { sameSubnetStatus, subnetStatusFor, usableIPs } from '../subnet/subnet-status.js';

export const AUTOPOOL_EVENT_REASONS = {
  subnetChanged: 'ApplicationSubnetChanged',
  subnetNotFound: 'SubnetNotFound',
  ipsNotEnough: 'AutoPoolIPsNotEnough',
  invalidAnnotation: 'InvalidSubnetAnnotation',
  reclaimed: 'AutoPoolReclaimed',
} as const;

/** The subnet named by a workload does not exist (yet): retried, reported as an Event. */
export class SubnetNotFoundError extends Error {
  readonly code = 'SubnetNotFound' as const;
  constructor(readonly subnet: string) {
    super(`SpiderSubnet ${subnet} does not exist`);
    this.name = 'SubnetNotFoundError';
  }
}

/** A pool write would drop an IP allocated since the plan was made: retried with a fresh plan. */
export class AllocatedIPWouldBeDroppedError extends Error {
  readonly code = 'AllocatedIPWouldBeDropped' as const;
  constructor(pool: string) {
    super(`pool ${pool} got allocations outside its planned IPs; re-planning`);
    this.name = 'AllocatedIPWouldBeDroppedError';
  }
}

export interface EnsureAutoPoolInput {
  readonly app: ApplicationRef;
  readonly subnetName: string;
  readonly family: IPFamily;
  readonly nic: string;
  readonly desired: number;
  /** Written as the pool's `ippool-ip-number` annotation. */
  readonly ipNumber: AutoPoolIPNumber;
  readonly reclaim: boolean;
}

export interface EnsureAutoPoolResult {
  readonly pool: string;
  readonly change: AutoPoolIPPlan['change'] | 'create' | 'labels';
}

const selector = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * Auto-pool writes (ipam.md §7.3): the pure plan of `ipam-core/auto-pool.ts` applied to a live subnet and pool.
 * The subnet's `controlledIPPools` is the ledger of which subnet IP belongs to which pool, so the order of the two
 * writes keeps IPs from ever being in two pools: growing (or creating) records the IPs in the subnet first, then
 * widens the pool; shrinking narrows the pool first (refusing if an IP to drop got allocated meanwhile), then the
 * subnet record. Both writes use `retryOnConflict` with a live read.
 */
export class AutoPoolManager {
  constructor(
    private readonly client: ObjectClient,
    private readonly subnets: SubnetManager,
    /** Reserved IPs of a family (non-terminating SpiderReservedIPs, from the cache). */
    private readonly reserved: (family: IPFamily) => IPSet,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** Auto pool of (app, nic, family): labels without uid, skipping reclaimable leftovers of a deleted namesake. */
  async find(input: Pick<EnsureAutoPoolInput, 'app' | 'subnetName' | 'family' | 'nic'>): Promise<PoolObject | undefined> {
    const pools = await this.client.list<PoolObject>(KINDS.ippool, { labelSelector: selector(autoPoolLookupLabels(input)) });
    const candidates = pools.filter(
      (p) => !(p.metadata.labels?.[LABEL_AUTO_POOL_RECLAIM] === 'true' && p.metadata.labels?.[LABEL_OWNER_APPLICATION_UID] !== input.app.uid),
    );
    if (candidates.length > 1) {
      throw new Error(`found ${candidates.length} auto pools for ${input.app.kind} ${input.app.namespace}/${input.app.name} ${input.nic} IPv${input.family}`);
    }
    return candidates[0];
  }

  async ensure(input: EnsureAutoPoolInput): Promise<EnsureAutoPoolResult> {
    const subnet = await this.subnets.get(input.subnetName);
    if (subnet === undefined) throw new SubnetNotFoundError(input.subnetName);
    if (subnet.metadata.deletionTimestamp) {
      throw new TerminalError(`SpiderSubnet ${input.subnetName} is terminating`, { reason: AUTOPOOL_EVENT_REASONS.subnetNotFound });
    }
    const existing = await this.find(input);
    if (existing && existing.spec.subnet !== subnet.spec.subnet) {
      throw new TerminalError(
        `auto pool ${existing.metadata.name} is carved from ${existing.spec.subnet}, not from ${input.subnetName} (${subnet.spec.subnet}); changing a workload's subnet is not supported`,
        { reason: AUTOPOOL_EVENT_REASONS.subnetChanged },
      );
    }
    const reclaim = String(input.reclaim);
    const labelsCurrent =
      existing !== undefined &&
      existing.metadata.labels?.[LABEL_OWNER_APPLICATION_UID] === input.app.uid &&
      existing.metadata.labels?.[LABEL_AUTO_POOL_RECLAIM] === reclaim;
    if (existing && labelsCurrent && usableIPs(input.family, existing.spec).size === BigInt(input.desired)) {
      return { pool: existing.metadata.name ?? '', change: 'none' };
    }
    const poolName = existing?.metadata.name ?? autoPoolName(input.family, input.app.name, input.nic, input.app.uid);
    const plan = (live: SubnetObject, pool: PoolObject | undefined): AutoPoolIPPlan =>
      planAutoPoolIPs({
        family: input.family,
        poolName,
        desired: input.desired,
        subnetIPs: live.spec.ips ?? [],
        subnetExcludeIPs: live.spec.excludeIPs ?? [],
        controlled: parseControlledIPPools(live.status?.controlledIPPools),
        reserved: this.reserved(input.family),
        poolIPs: pool?.spec.ips ?? [],
        allocated: [...parseAllocatedIPs(pool?.status?.allocatedIPs).keys()],
      });
    const first = plan(subnet, existing);
    let ips = first.ips;
    if (first.change === 'shrink' && existing) {
      await this.writePool(poolName, existing, subnet, input, ips);
      await this.recordInSubnet(input, poolName, () => ips);
    } else {
      await this.recordInSubnet(input, poolName, (live) => {
        const p = plan(live, existing);
        ips = p.ips;
        return ips;
      });
      await this.writePool(poolName, existing, subnet, input, ips);
    }
    return { pool: poolName, change: existing === undefined ? 'create' : first.change === 'none' ? 'labels' : first.change };
  }

  /** Delete every reclaimable auto pool of an application (all UIDs, or all but `keepUid`), UID-guarded. */
  async reclaim(app: Omit<ApplicationRef, 'uid'>, keepUid?: string): Promise<string[]> {
    const pools = await this.client.list<PoolObject>(KINDS.ippool, {
      labelSelector: selector({
        [LABEL_OWNER_APPLICATION_GV]: applicationGvLabel(app.apiVersion),
        [LABEL_OWNER_APPLICATION_KIND]: app.kind,
        [LABEL_OWNER_APPLICATION_NAMESPACE]: app.namespace,
        [LABEL_OWNER_APPLICATION_NAME]: app.name,
        [LABEL_AUTO_POOL_RECLAIM]: 'true',
      }),
    });
    return this.deletePools(pools.filter((p) => keepUid === undefined || p.metadata.labels?.[LABEL_OWNER_APPLICATION_UID] !== keepUid));
  }

  /** Delete the reclaimable auto pools of one application UID (third-party delete events). */
  async reclaimUid(uid: string): Promise<string[]> {
    const pools = await this.client.list<PoolObject>(KINDS.ippool, { labelSelector: selector({ [LABEL_OWNER_APPLICATION_UID]: uid, [LABEL_AUTO_POOL_RECLAIM]: 'true' }) });
    return this.deletePools(pools);
  }

  private async deletePools(pools: readonly PoolObject[]): Promise<string[]> {
    const out: string[] = [];
    for (const p of pools) {
      if (p.metadata.deletionTimestamp) continue;
      await this.client.delete(KINDS.ippool, { name: p.metadata.name ?? '' }, p.metadata.uid ? { uid: p.metadata.uid } : {});
      out.push(p.metadata.name ?? '');
    }
    return out;
  }

  /** Subnet ledger: `controlledIPPools[pool] = {ips, application}` and the recomputed counts. */
  private async recordInSubnet(input: EnsureAutoPoolInput, poolName: string, ipsFor: (live: SubnetObject) => readonly string[]): Promise<void> {
    await this.subnets.updateStatus(input.subnetName, (live) => {
      if (live.metadata.deletionTimestamp) {
        throw new TerminalError(`SpiderSubnet ${input.subnetName} is terminating`, { reason: AUTOPOOL_EVENT_REASONS.subnetNotFound });
      }
      const controlled = parseControlledIPPools(live.status?.controlledIPPools);
      controlled.set(poolName, { ips: [...ipsFor(live)], application: applicationKey(input.app) });
      const status = subnetStatusFor(live, controlled);
      return sameSubnetStatus(live.status, status) ? undefined : status;
    });
  }

  private async writePool(poolName: string, existing: PoolObject | undefined, subnet: SubnetObject, input: EnsureAutoPoolInput, ips: readonly string[]): Promise<void> {
    const labels = autoPoolLabels({ app: input.app, subnetName: input.subnetName, subnetCidr: subnet.spec.subnet, family: input.family, nic: input.nic, reclaim: input.reclaim });
    const annotations = { [ANNOTATION_IPPOOL_IP_NUMBER]: formatAutoPoolIPNumber(input.ipNumber) };
    if (existing === undefined) {
      const pool = {
        apiVersion: API_GROUP_VERSION,
        kind: 'SpiderIPPool',
        metadata: {
          name: poolName,
          labels,
          annotations,
          finalizers: [FINALIZER],
          ownerReferences: [
            { apiVersion: API_GROUP_VERSION, kind: 'SpiderSubnet', name: input.subnetName, uid: subnet.metadata.uid ?? '', controller: true },
          ],
        },
        spec: {
          ipVersion: input.family,
          subnet: subnet.spec.subnet,
          ips: [...ips],
          ...(subnet.spec.gateway ? { gateway: subnet.spec.gateway } : {}),
          ...(subnet.spec.routes ? { routes: subnet.spec.routes } : {}),
          podAffinity: { matchLabels: autoPoolPodAffinity(input.app) },
          default: false,
          disable: false,
        },
      } as PoolObject;
      await this.client.create(KINDS.ippool, pool);
      return;
    }
    await retryOnConflict(
      () => this.client.get<PoolObject>(KINDS.ippool, { name: poolName }),
      (live) => {
        if (live === undefined || live.metadata.uid !== existing.metadata.uid) throw new AllocatedIPWouldBeDroppedError(poolName);
        const next = IPSet.fromRanges(input.family, ips);
        for (const ip of parseAllocatedIPs(live.status?.allocatedIPs).keys()) {
          if (!next.has(parseIP(ip).value)) throw new AllocatedIPWouldBeDroppedError(poolName);
        }
        const sameIPs = IPSet.fromRanges(input.family, live.spec.ips ?? []).equals(next);
        const sameLabels = Object.entries(labels).every(([k, v]) => live.metadata.labels?.[k] === v);
        const sameAnno = live.metadata.annotations?.[ANNOTATION_IPPOOL_IP_NUMBER] === annotations[ANNOTATION_IPPOOL_IP_NUMBER] && Object.keys(live.metadata.annotations ?? {}).length === 1;
        if (sameIPs && sameLabels && sameAnno) return undefined;
        return {
          ...live,
          metadata: { ...live.metadata, labels: { ...(live.metadata.labels ?? {}), ...labels }, annotations },
          spec: { ...live.spec, ips: [...ips] },
        };
      },
      (next) => this.client.replace(KINDS.ippool, next),
      this.policy,
    );
  }
}

