import {
  reservedIPSet as reservedIPsOf,
  type IPSet,
  type AllocationRequest,
  type IPFamily,
  type PoolPick,
} from '@spiderpool/ipam-core';
import type { ClusterCache } from '../cluster/cluster.port.js';
import type { PoolOpKind, PoolWriteBatcher } from './pool-write.batcher.js';

export interface PoolAllocation {
  readonly pool: string;
  readonly family: IPFamily;
  readonly ip: string;
  /** `ip/<prefix of the pool subnet>`. */
  readonly address: string;
  readonly gateway: string | undefined;
  readonly pick: PoolPick['kind'];
}

/** Reserved IPs of one family from the agent's cache: ipam-core's one definition (ipam.md §6). */
export function reservedIPSet(cache: ClusterCache, family: IPFamily): IPSet {
  return reservedIPsOf(cache.reservedIPs(), family);
}

/**
 * Typed SpiderIPPool status writes for the agent (pool reads come from the informer cache, in the callers): every
 * change goes through the per-pool write batcher (live re-read, pure decision, resourceVersion write, bounded jittered retry).
 */
export class IPPoolManager {
  constructor(
    private readonly batcher: PoolWriteBatcher,
    private readonly maxAllocatedIPs: number,
  ) {}

  /** Picks and records one IP for the request in `pool` (IPExhaustedError / IPConflictError when it cannot). */
  allocate(pool: string, request: AllocationRequest): Promise<PoolAllocation> {
    return this.batcher.submit(pool, 'allocate', (state) => {
      const pick = state.pick(request, { maxAllocatedIPs: this.maxAllocatedIPs });
      state.apply(pick, request);
      return {
        pool,
        family: state.family,
        ip: pick.ip,
        address: `${pick.ip}/${state.prefix}`,
        gateway: state.gateway,
        pick: pick.kind,
      };
    });
  }

  /** Removes the record of `ip` when it still belongs to `podUid`; resolves whether one was removed. */
  release(pool: string, ip: string, podUid: string, kind: PoolOpKind = 'release'): Promise<boolean> {
    return this.batcher.submit(pool, kind, (state) => state.release(ip, podUid));
  }
}

export const IPPOOL_MANAGER = Symbol('IPPOOL_MANAGER');
