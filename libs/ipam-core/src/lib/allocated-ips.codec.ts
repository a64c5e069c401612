import { z } from 'zod';
import { InvalidSpecError } from './errors.js';
import { tryParseIP } from './ip-address.js';

/** One record of `status.allocatedIPs`: who holds the IP. */
export interface IPAllocationRecord {
  /** `namespace/name` of the Pod (KubeVirt static IP: `namespace/<VMI name>`). */
  readonly pod: string;
  readonly podUid: string;
}

export type AllocatedIPs = ReadonlyMap<string, IPAllocationRecord>;

const recordSchema = z.object({ pod: z.string(), podUid: z.string() });
const allocatedIPsSchema = z.record(z.string(), recordSchema);

const ALLOCATED_IPS_PATH = 'status.allocatedIPs';

/**
 * Decodes `status.allocatedIPs` (a JSON object serialised into a string). An absent or empty field is an empty
 * map. Malformed JSON, a key that is not an IP, or a record without string `pod`/`podUid` → InvalidSpecError.
 */
export function parseAllocatedIPs(text: string | null | undefined): Map<string, IPAllocationRecord> {
  if (text === undefined || text === null || text === '') return new Map();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw invalid(`${ALLOCATED_IPS_PATH} is not valid JSON`, cause);
  }
  const parsed = allocatedIPsSchema.safeParse(raw);
  if (!parsed.success)
    throw invalid(`${ALLOCATED_IPS_PATH} has an invalid shape: ${parsed.error.message}`, parsed.error);
  const out = new Map<string, IPAllocationRecord>();
  for (const [ip, record] of Object.entries(parsed.data)) {
    if (tryParseIP(ip) === undefined)
      throw invalid(`${ALLOCATED_IPS_PATH} has a key that is not an IP: '${ip}'`);
    out.set(ip, { pod: record.pod, podUid: record.podUid });
  }
  return out;
}

/** Byte-wise string order, like Go's sorted map keys (not locale order, not numeric order). */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Encodes like Go `encoding/json`: compact, keys in byte-wise order, `pod` before `podUid`. An empty map encodes
 * as `undefined`: the caller removes the field instead of writing `"{}"`.
 */
export function serializeAllocatedIPs(records: AllocatedIPs): string | undefined {
  if (records.size === 0) return undefined;
  const keys = [...records.keys()].sort(byteOrder);
  const body = keys.map((ip) => {
    const record = records.get(ip) as IPAllocationRecord;
    return `${JSON.stringify(ip)}:{"pod":${JSON.stringify(record.pod)},"podUid":${JSON.stringify(record.podUid)}}`;
  });
  return `{${body.join(',')}}`;
}

/** Returns a copy with `ip` held by `record` (replacing any previous holder). */
export function withAllocation(
  records: AllocatedIPs,
  ip: string,
  record: IPAllocationRecord,
): Map<string, IPAllocationRecord> {
  const next = new Map(records);
  next.set(ip, { pod: record.pod, podUid: record.podUid });
  return next;
}

/**
 * Returns a copy without `ip`, but only when its record belongs to `podUid` (release is conditional on the owner,
 * ipam.md §5.2 step 11). `released` tells whether anything changed, so the caller can skip the write.
 */
export function withoutAllocation(
  records: AllocatedIPs,
  ip: string,
  podUid: string,
): { records: Map<string, IPAllocationRecord>; released: boolean } {
  const next = new Map(records);
  const current = next.get(ip);
  if (current === undefined || current.podUid !== podUid) return { records: next, released: false };
  next.delete(ip);
  return { records: next, released: true };
}

/** `status.controlledIPPools` of a SpiderSubnet: pool name → pre-allocated IPs (and the app key for auto pools). */
export interface ControlledIPPool {
  readonly ips: readonly string[] | null;
  readonly application?: string;
}

const controlledSchema = z.record(
  z.string(),
  z.object({ ips: z.array(z.string()).nullable(), application: z.string().optional() }),
);

export function parseControlledIPPools(text: string | null | undefined): Map<string, ControlledIPPool> {
  if (text === undefined || text === null || text === '') return new Map();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new InvalidSpecError(
      'status.controlledIPPools is not valid JSON',
      [{ path: 'status.controlledIPPools', type: 'Invalid', detail: 'not valid JSON' }],
      { cause },
    );
  }
  const parsed = controlledSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidSpecError(
      'status.controlledIPPools has an invalid shape',
      [{ path: 'status.controlledIPPools', type: 'Invalid', detail: parsed.error.message }],
      { cause: parsed.error },
    );
  }
  return new Map(
    Object.entries(parsed.data).map(([name, v]) => [
      name,
      v.application === undefined ? { ips: v.ips } : { ips: v.ips, application: v.application },
    ]),
  );
}

export function serializeControlledIPPools(pools: ReadonlyMap<string, ControlledIPPool>): string | undefined {
  if (pools.size === 0) return undefined;
  const keys = [...pools.keys()].sort(byteOrder);
  const body = keys.map((name) => {
    const pool = pools.get(name) as ControlledIPPool;
    const app = pool.application === undefined ? '' : `,"application":${JSON.stringify(pool.application)}`;
    return `${JSON.stringify(name)}:{"ips":${JSON.stringify(pool.ips)}${app}}`;
  });
  return `{${body.join(',')}}`;
}

function invalid(detail: string, cause?: unknown): InvalidSpecError {
  return new InvalidSpecError(detail, [{ path: ALLOCATED_IPS_PATH, type: 'Invalid', detail }], { cause });
}
