import { parseAllocatedIPs, serializeAllocatedIPs, type IPAllocationRecord } from './allocated-ips.codec.js';
import { parseCIDR } from './cidr.js';
import {
  IPConflictError,
  IPExhaustedError,
  InvalidSpecError,
  IPFormatError,
  type PoolRejection,
} from './errors.js';
import { FreeIPIndex } from './free-ip-index.js';
import { formatIP, tryParseIP, type IPFamily } from './ip-address.js';
import { IPSet } from './ip-set.js';
import type { SpiderIPPoolView } from './model.js';
import { pickSeed } from './pick-seed.js';

/** Default of `SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS`. */
export const DEFAULT_MAX_ALLOCATED_IPS = 5000;

export interface AllocationRequest {
  /** Record key: `namespace/podName` (KubeVirt static IP: `namespace/<VMI name>`). */
  readonly podKey: string;
  readonly podUid: string;
  readonly nic: string;
  /** StatefulSet/KubeVirt: the IP this pod held before; it is kept when possible. */
  readonly previousIP?: string;
  /** IPs the pod already holds in this pool for other NICs; a record on them is not reused for this NIC. */
  readonly heldByOtherNics?: readonly string[];
}

export interface PoolAllocationOptions {
  readonly maxAllocatedIPs?: number;
}

export type PoolPick =
  /** The pod's UID already holds this IP (idempotent retry): nothing to write. */
  | { readonly kind: 'existing'; readonly ip: string }
  /** A fixed IP whose record carries the same pod key but an older UID: rewrite the record's UID. */
  | { readonly kind: 'reowned'; readonly ip: string; readonly previousUid: string }
  /** A new record. */
  | { readonly kind: 'allocated'; readonly ip: string };

export interface PoolParts {
  readonly name: string;
  readonly family: IPFamily;
  readonly subnet: string;
  readonly gateway?: string | null;
  readonly ips: readonly string[];
  readonly excludeIPs?: readonly string[];
  /** Union of the reserved IPs of this family (non-terminating SpiderReservedIPs). */
  readonly reserved?: IPSet;
  readonly records?: ReadonlyMap<string, IPAllocationRecord>;
}

function canonical(family: IPFamily, text: string): string | undefined {
  const ip = tryParseIP(text);
  return ip === undefined || ip.family !== family ? undefined : formatIP(family, ip.value);
}

/**
 * The working state of one pool during a decision: its allocatable set (`ips − excludeIPs − reserved`), the
 * `allocatedIPs` records keyed by canonical IP, a by-UID index of those records, and the free-space index. `pick`
 * decides without changing anything; `apply` and `release` update records and indexes incrementally.
 */
export class PoolAllocationState {
  readonly records = new Map<string, IPAllocationRecord>();
  private readonly byUid = new Map<string, Set<string>>();
  readonly index: FreeIPIndex;
  readonly prefix: number;

  private constructor(
    readonly name: string,
    readonly family: IPFamily,
    readonly gateway: string | undefined,
    readonly allocatable: IPSet,
    subnetPrefix: number,
    records: ReadonlyMap<string, IPAllocationRecord>,
  ) {
    this.prefix = subnetPrefix;
    const values: bigint[] = [];
    for (const [ip, record] of records) {
      const parsed = tryParseIP(ip);
      if (parsed === undefined || parsed.family !== family) continue;
      const key = formatIP(family, parsed.value);
      this.records.set(key, record);
      this.indexUid(record.podUid, key);
      values.push(parsed.value);
    }
    this.index = FreeIPIndex.build(allocatable, values);
  }

  static fromParts(parts: PoolParts): PoolAllocationState {
    const cidr = parseCIDR(parts.subnet, parts.family);
    let allocatable = IPSet.fromRanges(parts.family, parts.ips).subtract(
      IPSet.fromRanges(parts.family, parts.excludeIPs ?? []),
    );
    if (parts.reserved !== undefined) allocatable = allocatable.subtract(parts.reserved);
    return new PoolAllocationState(
      parts.name,
      parts.family,
      parts.gateway ?? undefined,
      allocatable,
      cidr.prefix,
      parts.records ?? new Map(),
    );
  }

  /** From a pool object; throws InvalidSpecError when its spec or `status.allocatedIPs` cannot be used. */
  static fromPool(pool: SpiderIPPoolView, reserved?: IPSet): PoolAllocationState {
    const family = pool.spec.ipVersion;
    if (family !== 4 && family !== 6) {
      throw new InvalidSpecError(`IPPool ${pool.metadata.name} has no valid spec.ipVersion`, [
        { path: 'spec.ipVersion', type: 'Invalid', detail: `unsupported value ${String(family)}` },
      ]);
    }
    try {
      return PoolAllocationState.fromParts({
        name: pool.metadata.name,
        family,
        subnet: pool.spec.subnet,
        gateway: pool.spec.gateway ?? undefined,
        ips: pool.spec.ips ?? [],
        excludeIPs: pool.spec.excludeIPs ?? [],
        ...(reserved === undefined ? {} : { reserved }),
        records: parseAllocatedIPs(pool.status?.allocatedIPs),
      });
    } catch (error) {
      if (!(error instanceof IPFormatError)) throw error;
      throw new InvalidSpecError(
        `IPPool ${pool.metadata.name} has an invalid spec: ${error.message}`,
        [{ path: 'spec', type: 'Invalid', detail: error.message }],
        { cause: error },
      );
    }
  }

  get freeCount(): bigint {
    return this.index.freeCount;
  }

  /** Decides which IP the request gets from this pool. Throws IPExhaustedError or IPConflictError. */
  pick(request: AllocationRequest, options: PoolAllocationOptions = {}): PoolPick {
    const others = new Set((request.heldByOtherNics ?? []).map((ip) => canonical(this.family, ip)));
    for (const ip of this.byUid.get(request.podUid) ?? []) {
      if (!others.has(ip)) return { kind: 'existing', ip };
    }
    if (request.previousIP !== undefined) return this.pickPrevious(request, request.previousIP);
    const max = options.maxAllocatedIPs ?? DEFAULT_MAX_ALLOCATED_IPS;
    if (this.records.size >= max) {
      throw this.exhausted(
        'RecordLimitExceeded',
        `threshold of IP records (<=${max}) for IPPool ${this.name} exceeded`,
      );
    }
    const total = this.allocatable.size;
    if (total === 0n || this.index.freeCount === 0n) {
      throw this.exhausted('Exhausted', `all IP addresses of IPPool ${this.name} used out`);
    }
    const start = this.allocatable.nth(pickSeed(request.podUid, request.nic) % total) as bigint;
    const value = this.index.nextFree(start) as bigint;
    return { kind: 'allocated', ip: formatIP(this.family, value) };
  }

  private pickPrevious(request: AllocationRequest, previousIP: string): PoolPick {
    const ip = canonical(this.family, previousIP);
    if (ip === undefined) {
      throw new IPConflictError(
        `previous IP ${previousIP} is not an IPv${this.family} address`,
        previousIP,
        undefined,
      );
    }
    const record = this.records.get(ip);
    if (record !== undefined) {
      if (record.pod !== request.podKey) {
        throw new IPConflictError(`IP ${ip} of IPPool ${this.name} is held by ${record.pod}`, ip, record.pod);
      }
      return record.podUid === request.podUid
        ? { kind: 'existing', ip }
        : { kind: 'reowned', ip, previousUid: record.podUid };
    }
    const value = tryParseIP(ip)?.value as bigint;
    if (!this.index.isFree(value)) {
      throw new IPConflictError(
        `previous IP ${ip} is no longer allocatable in IPPool ${this.name} (excluded, reserved or outside ips)`,
        ip,
        undefined,
      );
    }
    // The record was removed (GC, operator): re-create it (upstream keeps using the IP without a record).
    return { kind: 'allocated', ip };
  }

  /** Applies a pick for the request: creates or rewrites its record and updates the indexes. */
  apply(pick: PoolPick, request: Pick<AllocationRequest, 'podKey' | 'podUid'>): void {
    if (pick.kind === 'existing') return;
    if (pick.kind === 'reowned') this.unindexUid(pick.previousUid, pick.ip);
    if (pick.kind === 'allocated') this.index.take(tryParseIP(pick.ip)?.value as bigint);
    this.records.set(pick.ip, { pod: request.podKey, podUid: request.podUid });
    this.indexUid(request.podUid, pick.ip);
  }

  /** Releases `ip` when its record belongs to `podUid`; returns whether a record was removed. */
  release(ip: string, podUid: string): boolean {
    const key = canonical(this.family, ip);
    if (key === undefined) return false;
    const record = this.records.get(key);
    if (record === undefined || record.podUid !== podUid) return false;
    this.records.delete(key);
    this.unindexUid(podUid, key);
    this.index.release(tryParseIP(key)?.value as bigint);
    return true;
  }

  /** `status.allocatedIPs` for the current records (undefined → remove the field). */
  serializeRecords(): string | undefined {
    return serializeAllocatedIPs(this.records);
  }

  private indexUid(uid: string, ip: string): void {
    const set = this.byUid.get(uid) ?? new Set<string>();
    set.add(ip);
    this.byUid.set(uid, set);
  }

  private unindexUid(uid: string, ip: string): void {
    const set = this.byUid.get(uid);
    set?.delete(ip);
    if (set?.size === 0) this.byUid.delete(uid);
  }

  private exhausted(reason: 'Exhausted' | 'RecordLimitExceeded', detail: string): IPExhaustedError {
    return new IPExhaustedError(detail, [{ pool: this.name, reason, detail }]);
  }
}

/** One (NIC, family) to serve, with its pools in the order to try. */
export interface FamilyCandidateStates {
  readonly nic: string;
  readonly family: IPFamily;
  readonly pools: readonly PoolAllocationState[];
  /** StatefulSet/KubeVirt: the IP to keep for this NIC and family. */
  readonly previousIP?: string;
}

export interface AllocationPlanEntry {
  readonly nic: string;
  readonly family: IPFamily;
  readonly pool: string;
  readonly ip: string;
  /** `ip/<prefix of the pool subnet>`. */
  readonly address: string;
  readonly gateway: string | undefined;
  readonly pick: PoolPick['kind'];
}

export type AllocationOutcome =
  | {
      readonly kind: 'planned';
      readonly entries: readonly AllocationPlanEntry[];
      readonly changedPools: readonly string[];
    }
  | {
      readonly kind: 'failed';
      readonly error: IPExhaustedError | IPConflictError;
      /** What did succeed (kept by the shell's failure cache, ipam.md §4.6). */
      readonly entries: readonly AllocationPlanEntry[];
      readonly changedPools: readonly string[];
    };

/**
 * Plans the addresses of one pod across its (NIC, family) candidates: per candidate, the pools are tried in order
 * and the first pick wins. Picks are applied to the given pool states, so two NICs drawing from one pool get
 * different IPs; the shell then writes `serializeRecords()` of every pool in `changedPools`.
 */
export function planAllocation(
  pod: { readonly podKey: string; readonly podUid: string },
  candidates: readonly FamilyCandidateStates[],
  options: PoolAllocationOptions = {},
): AllocationOutcome {
  const entries: AllocationPlanEntry[] = [];
  const changed = new Set<string>();
  const failures: PoolRejection[] = [];
  let conflict: IPConflictError | undefined;
  const failedCandidates: string[] = [];
  for (const candidate of candidates) {
    const held = entries.map((e) => e.ip);
    const request: AllocationRequest = {
      podKey: pod.podKey,
      podUid: pod.podUid,
      nic: candidate.nic,
      heldByOtherNics: held,
      ...(candidate.previousIP === undefined ? {} : { previousIP: candidate.previousIP }),
    };
    let done = false;
    const tried: PoolRejection[] = [];
    for (const state of candidate.pools) {
      try {
        const pick = state.pick(request, options);
        state.apply(pick, request);
        if (pick.kind !== 'existing') changed.add(state.name);
        entries.push({
          nic: candidate.nic,
          family: candidate.family,
          pool: state.name,
          ip: pick.ip,
          address: `${pick.ip}/${state.prefix}`,
          gateway: state.gateway,
          pick: pick.kind,
        });
        done = true;
        break;
      } catch (error) {
        if (error instanceof IPExhaustedError) tried.push(...error.rejections);
        else if (error instanceof IPConflictError) {
          conflict ??= error;
          tried.push({ pool: state.name, reason: 'IPConflict', detail: error.message });
        } else throw error;
      }
    }
    if (!done) {
      failures.push(...tried);
      failedCandidates.push(
        `failed to allocate any IPv${candidate.family} IP address to NIC ${candidate.nic} from IPPools [${candidate.pools
          .map((p) => p.name)
          .join(' ')}]`,
      );
    }
  }
  if (failedCandidates.length === 0) return { kind: 'planned', entries, changedPools: [...changed] };
  const error =
    conflict !== undefined && failures.every((f) => f.reason === 'IPConflict')
      ? conflict
      : new IPExhaustedError(failedCandidates.join('; '), failures);
  return { kind: 'failed', error, entries, changedPools: [...changed] };
}
