import type { V1Pod } from '@kubernetes/client-node';
import type { IPAllocationDetail, SpiderEndpoint } from '@spiderpool/crd-types';
import {
  parseAllocatedIPs,
  serializeAllocatedIPs,
  tryParseIP,
  withoutAllocation,
  type IPAllocationRecord,
} from '@spiderpool/ipam-core';
import { DEFAULT_RETRY, retryOnConflict, type RetryDeps, type RetryPolicy } from '@spiderpool/k8s-runtime';
import type { ClusterPort, StoredPool } from '../cluster/cluster.port.js';
import { NotFoundError, PodStillRunningError, UsageError } from '../errors.js';

/** Where an IP is recorded: its pool and the `status.allocatedIPs` record. */
export interface IPHolding {
  readonly ip: string;
  readonly pool: string;
  readonly record: IPAllocationRecord;
  readonly namespace: string;
  readonly podName: string;
}

export interface ReleaseResult {
  readonly holding: IPHolding;
  /** The pool record was removed by this call (false: it changed owner or vanished in between). */
  readonly poolReleased: boolean;
  /** NIC entries removed from the SpiderEndpoint (its status.current belonged to the record's podUid). */
  readonly endpointEntriesRemoved: number;
}

export function splitPodKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The address part of `10.0.0.5/24` (endpoint entries carry the prefix). */
const addressOf = (text: string | undefined): string | undefined => text?.split('/')[0];

function sameIP(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = tryParseIP(a);
  const y = tryParseIP(b);
  return x !== undefined && y !== undefined && x.family === y.family && x.value === y.value;
}

export function parseIPArgument(text: string | undefined): string {
  if (text === undefined || text === '') throw new UsageError('--ip is required');
  if (tryParseIP(text) === undefined) throw new UsageError(`--ip '${text}' is not an IP address`);
  return text;
}

/** Holdings of one pool (records that do not decode are skipped; `explain` and `validate` report them). */
export function holdingsOf(pool: StoredPool): IPHolding[] {
  let records: Map<string, IPAllocationRecord>;
  try {
    records = parseAllocatedIPs(pool.status?.allocatedIPs);
  } catch {
    return [];
  }
  return [...records].map(([ip, record]) => {
    const { namespace, name } = splitPodKey(record.pod);
    return { ip, pool: pool.metadata.name, record, namespace, podName: name };
  });
}

/** Whether a pod still uses its IPs: it exists and is not terminating. */
export const podIsLive = (pod: V1Pod | undefined): boolean =>
  pod !== undefined && (pod.metadata?.deletionTimestamp === undefined || pod.metadata.deletionTimestamp === null);

/**
 * The endpoint with `ip` removed from the NIC entries (only the matching family's fields; an entry left with no
 * address goes). `removed` counts touched entries.
 */
export function endpointWithoutIP(ep: SpiderEndpoint, ip: string): { endpoint: SpiderEndpoint; removed: number } {
  const status = ep.status;
  if (status === undefined) return { endpoint: ep, removed: 0 };
  let removed = 0;
  const ips: IPAllocationDetail[] = [];
  for (const entry of status.current.ips) {
    const v4 = sameIP(addressOf(entry.ipv4), ip);
    const v6 = sameIP(addressOf(entry.ipv6), ip);
    if (!v4 && !v6) {
      ips.push(entry);
      continue;
    }
    removed += 1;
    const next: IPAllocationDetail = { ...entry };
    if (v4) {
      delete next.ipv4;
      delete next.ipv4Pool;
      delete next.ipv4Gateway;
    }
    if (v6) {
      delete next.ipv6;
      delete next.ipv6Pool;
      delete next.ipv6Gateway;
    }
    if (next.ipv4 !== undefined || next.ipv6 !== undefined) ips.push(next);
  }
  return { endpoint: { ...ep, status: { ...status, current: { ...status.current, ips } } }, removed };
}

/** Typed reads and the one release path for IP records (`ip show`, `ip release`, `gc --apply`). */
export class IpManager {
  constructor(
    private readonly cluster: ClusterPort,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    private readonly retryDeps: RetryDeps = {},
  ) {}

  /** The pool record of `ip`; NotFoundError when no pool holds it. */
  async find(ip: string): Promise<IPHolding> {
    for (const pool of await this.cluster.listPools()) {
      const hit = holdingsOf(pool).find((h) => sameIP(h.ip, ip));
      if (hit !== undefined) return hit;
    }
    throw new NotFoundError(`no SpiderIPPool records IP ${ip}`);
  }

  /**
   * Releases the record of `ip`: without `force` it refuses while the record's pod exists and is not terminating.
   * The pool write re-reads live and removes the record only while it still belongs to the same podUid; then the
   * IP's entry leaves the pod's SpiderEndpoint when that endpoint belongs to the same podUid.
   */
  async release(ip: string, options: { readonly force: boolean }): Promise<ReleaseResult> {
    const holding = await this.find(ip);
    if (!options.force) {
      const pod = await this.cluster.getPod(holding.namespace, holding.podName);
      if (podIsLive(pod)) {
        throw new PodStillRunningError(
          `IP ${holding.ip} is held by pod ${holding.record.pod}, which exists and is not terminating; use --force`,
        );
      }
    }
    return this.releaseHolding(holding);
  }

  /** The write half of `release` (the caller decided the record may go). */
  async releaseHolding(holding: IPHolding): Promise<ReleaseResult> {
    const written = await retryOnConflict(
      async () => this.cluster.getPool(holding.pool),
      (pool): StoredPool | undefined => {
        if (pool === undefined) return undefined;
        const { records, released } = withoutAllocation(
          parseAllocatedIPs(pool.status?.allocatedIPs),
          holding.ip,
          holding.record.podUid,
        );
        if (!released) return undefined;
        const status = { ...(pool.status ?? {}), allocatedIPCount: records.size };
        const encoded = serializeAllocatedIPs(records);
        if (encoded === undefined) delete status.allocatedIPs;
        else status.allocatedIPs = encoded;
        return { ...pool, status };
      },
      (next) => this.cluster.replacePoolStatus(next),
      this.policy,
      this.retryDeps,
    );
    let removed = 0;
    await retryOnConflict(
      async () => this.cluster.getEndpoint(holding.namespace, holding.podName),
      (ep): SpiderEndpoint | undefined => {
        removed = 0;
        if (ep?.status === undefined || ep.status.current.uid !== holding.record.podUid) return undefined;
        const next = endpointWithoutIP(ep, holding.ip);
        if (next.removed === 0) return undefined;
        removed = next.removed;
        return next.endpoint;
      },
      (next) => this.cluster.replaceEndpoint(next),
      this.policy,
      this.retryDeps,
    );
    return { holding, poolReleased: written !== undefined, endpointEntriesRemoved: removed };
  }
}
