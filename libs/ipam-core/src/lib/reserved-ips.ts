import type { IPFamily } from './ip-address.js';
import { IPSet } from './ip-set.js';
import type { ObjectMetaView, SpiderReservedIPSpecView } from './model.js';

/** What the reserved-IP union reads of a SpiderReservedIP (objects whose name is optional fit too). */
export interface ReservedIPInput {
  readonly metadata?: Pick<ObjectMetaView, 'deletionTimestamp'>;
  readonly spec: SpiderReservedIPSpecView;
}

/**
 * Union of the `spec.ips` of the non-terminating SpiderReservedIPs of one family (ipam.md §6). An object's family is
 * its `ipVersion`, else that of its first entry. A malformed entry (one the webhook would have rejected) reserves
 * nothing; the object's other entries still count. The agent (allocation) and the controller (pool status) share it.
 */
export function reservedIPSet(reservedIPs: readonly ReservedIPInput[], family: IPFamily): IPSet {
  let set = IPSet.empty(family);
  for (const r of reservedIPs) {
    if (r.metadata?.deletionTimestamp) continue;
    const entries = r.spec.ips ?? [];
    const version =
      r.spec.ipVersion ?? (entries[0] === undefined ? undefined : entries[0].includes(':') ? 6 : 4);
    if (version !== family) continue;
    for (const entry of entries) {
      try {
        set = set.union(IPSet.fromRanges(family, [entry]));
      } catch {
        // malformed or other-family entry: reserves nothing
      }
    }
  }
  return set;
}
