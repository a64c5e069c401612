import { randomBytes } from 'node:crypto';

/**
 * Every kernel object a local cluster creates carries its run id, so a later run can sweep leftovers of a crashed
 * one. Link names are limited to 15 characters (IFNAMSIZ - 1): `lc` + 6 hex + role letter + index ≤ 12.
 */
export const RUN_PREFIX = 'lc';
const RUN_ID_RE = /^[0-9a-f]{6}$/;

export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

export function isRunId(value: string): boolean {
  return RUN_ID_RE.test(value);
}

export interface RunNames {
  readonly runId: string;
  /** Zone bridge in the root namespace (no address). */
  zoneBridge(zoneIndex: number): string;
  /** Router-side end of the veth joining a zone bridge to the router netns (carries the gateway address). */
  routerLink(zoneIndex: number): string;
  /** Bridge-side end of that veth, enslaved to the zone bridge. */
  uplink(zoneIndex: number): string;
  /** The router network namespace. */
  readonly routerNetns: string;
  /** A pod's network namespace. */
  podNetns(podUid: string): string;
}

export function runNames(runId: string): RunNames {
  if (!isRunId(runId)) throw new RangeError(`run id must be 6 lowercase hex digits, got '${runId}'`);
  const base = `${RUN_PREFIX}${runId}`;
  return {
    runId,
    zoneBridge: (i) => `${base}b${i}`,
    routerLink: (i) => `${base}r${i}`,
    uplink: (i) => `${base}u${i}`,
    routerNetns: `${RUN_PREFIX}-${runId}-router`,
    podNetns: (uid) => `${RUN_PREFIX}-${runId}-pod-${uid.replace(/[^0-9a-z]/gi, '').slice(0, 12)}`,
  };
}

/** The run id encoded in a link or netns name created by {@link runNames}, if any. */
export function runIdOf(name: string): string | undefined {
  const link = /^lc([0-9a-f]{6})[bru]\d+$/.exec(name);
  if (link) return link[1];
  const ns = /^lc-([0-9a-f]{6})-/.exec(name);
  return ns?.[1];
}
