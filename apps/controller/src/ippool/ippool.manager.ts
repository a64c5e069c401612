import { FINALIZER } from '@spiderpool/crd-types';
import { parseAllocatedIPs, serializeAllocatedIPs, withoutAllocation } from '@spiderpool/ipam-core';
import { isConflict, retryOnConflict, DEFAULT_RETRY, type RetryPolicy } from '@spiderpool/k8s-runtime';
import type { ObjectClient } from '../api-client/object-client.port.js';
import { KINDS } from '../api-client/resource-kinds.js';
import type { ControllerMetrics } from '../metrics/controller.metrics.js';
import type { PoolObject } from './ippool.types.js';

export const IPPOOL_MANAGER = Symbol('IPPOOL_MANAGER');

export interface ReleaseRequest {
  readonly ip: string;
  /** Only a record still held by this UID is released (ipam.md §5.2 step 11). */
  readonly podUid: string;
}

/**
 * Typed writes of SpiderIPPools. Every status mutation goes through `retryOnConflict` with a live read, the pure
 * decision re-run on it, and a write carrying the observed resourceVersion (house style §16). `release` is the one
 * path by which the controller (GC) frees IPs.
 */
export class IPPoolManager {
  constructor(
    private readonly client: ObjectClient,
    private readonly metrics?: ControllerMetrics,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {}

  get(name: string): Promise<PoolObject | undefined> {
    return this.client.get<PoolObject>(KINDS.ippool, { name });
  }

  /** Release records conditional on their podUid; returns the IPs actually released (none → no write). */
  async release(poolName: string, requests: readonly ReleaseRequest[]): Promise<string[]> {
    let released: string[] = [];
    await retryOnConflict(
      () => this.get(poolName),
      (pool) => {
        released = [];
        if (pool === undefined) return undefined;
        let records = parseAllocatedIPs(pool.status?.allocatedIPs);
        for (const r of requests) {
          const out = withoutAllocation(records, r.ip, r.podUid);
          records = out.records;
          if (out.released) released.push(r.ip);
        }
        if (released.length === 0) return undefined;
        const text = serializeAllocatedIPs(records);
        const status = { ...(pool.status ?? {}), allocatedIPCount: records.size };
        if (text === undefined) delete status.allocatedIPs;
        else status.allocatedIPs = text;
        return { ...pool, status };
      },
      (next) => this.client.replaceStatus(KINDS.ippool, next),
      this.policy,
      { isRetryable: (err) => this.countConflict(err) },
    );
    return released;
  }

  /** Replace the whole status when `decide` changes it. */
  async updateStatus(name: string, decide: (pool: PoolObject) => PoolObject['status'] | undefined): Promise<boolean> {
    const out = await retryOnConflict(
      () => this.get(name),
      (pool) => {
        if (pool === undefined) return undefined;
        const status = decide(pool);
        return status === undefined ? undefined : { ...pool, status };
      },
      (next) => this.client.replaceStatus(KINDS.ippool, next),
      this.policy,
    );
    return out !== undefined;
  }

  /** Replace the main resource (metadata/spec) when `decide` returns a changed object built from the live one. */
  async update(name: string, decide: (pool: PoolObject) => PoolObject | undefined): Promise<PoolObject | undefined> {
    return retryOnConflict(
      () => this.get(name),
      (pool) => (pool === undefined ? undefined : decide(pool)),
      (next) => this.client.replace(KINDS.ippool, next),
      this.policy,
    );
  }

  /** Remove our finalizer from a terminating pool whose `allocatedIPs` is empty (live re-check). */
  async removeFinalizerIfEmpty(name: string): Promise<boolean> {
    const out = await retryOnConflict(
      () => this.get(name),
      (pool) => {
        if (pool === undefined || !pool.metadata.deletionTimestamp) return undefined;
        if (pool.status?.allocatedIPs) return undefined;
        const finalizers = pool.metadata.finalizers ?? [];
        if (!finalizers.includes(FINALIZER)) return undefined;
        return { ...pool, metadata: { ...pool.metadata, finalizers: finalizers.filter((f) => f !== FINALIZER) } };
      },
      (next) => this.client.replace(KINDS.ippool, next),
      this.policy,
    );
    return out !== undefined;
  }

  /** Delete a pool, guarded by its UID so a re-created namesake is never deleted. */
  async delete(name: string, uid?: string): Promise<void> {
    await this.client.delete(KINDS.ippool, { name }, uid === undefined ? {} : { uid });
  }

  private countConflict(err: unknown): boolean {
    const conflict = isConflict(err);
    if (conflict) this.metrics?.releaseConflictCounts.inc();
    return conflict;
  }
}
