// The coordinator's netconf (one plugin of a conflist). Every key is optional: a value present here
// wins over the agent's SpiderCoordinator view (coordinator-config.ts merges and validates).
import * as z from 'zod/mini';
import { InvalidNetconfError } from '../errors.js';
import { PLUGIN_CNI_VERSIONS, parseNetconfInput } from '../skel/netconf-input.js';
import type { CniLogLevel } from '../logging/file-logger.js';

export const COORDINATOR_CNI_VERSIONS = PLUGIN_CNI_VERSIONS;
export const DEFAULT_COORDINATOR_LOG_FILE = '/var/log/spidernet/coordinator.log';
const LEVELS = ['debug', 'info', 'warn', 'error', 'fatal', 'panic'] as const;

/** Integer or numeric string (as the spiderpool IPAM netconf accepts). */
const intLike = z.pipe(
  z.union([z.int(), z.string().check(z.regex(/^-?\d+$/, 'must be an integer or a numeric string'))]),
  z.transform((v: number | string) => (typeof v === 'string' ? Number(v) : v)),
);
const stringList = z.optional(z.nullable(z.array(z.string())));

const LogOptions = z.object({
  logLevel: z.optional(z.string()),
  logFile: z.optional(z.string()),
  logMaxSize: z.optional(intLike),
  logMaxAge: z.optional(intLike),
  logMaxCount: z.optional(intLike),
});

const CoordinatorNetconfInput = z.object({
  name: z.string(),
  cniVersion: z.string(),
  type: z.optional(z.string()),
  mode: z.optional(z.string()),
  podDefaultCniNic: z.optional(z.string()),
  tunePodRoutes: z.optional(z.nullable(z.boolean())),
  podDefaultRouteNic: z.optional(z.string()),
  podMACPrefix: z.optional(z.string()),
  overlayPodCIDR: stringList,
  serviceCIDR: stringList,
  hijackCIDR: stringList,
  policyRoutes: z.optional(
    z.nullable(z.array(z.object({ dst: z.optional(z.string()), gw: z.optional(z.string()) }))),
  ),
  hostRuleTable: z.optional(z.nullable(intLike)),
  podRPFilter: z.optional(z.nullable(intLike)),
  txQueueLen: z.optional(z.nullable(intLike)),
  vethLinkAddress: z.optional(z.string()),
  vethMTU: z.optional(z.nullable(intLike)),
  logOptions: z.optional(z.nullable(LogOptions)),
  /** Our addition (D6): the agent socket; upstream hard-codes the default path. */
  ipam_unix_socket_path: z.optional(z.string()),
  // Accepted and ignored, as upstream: hostRPFilter, multusNicPrefix, detectGateway, detectIPConflict, detectOptions.
});

export interface CoordinatorLogOptions {
  level: CniLogLevel;
  file: string;
  maxSizeMB: number;
  maxAgeDays: number;
  maxBackups: number;
}

/** The netconf as given (undefined = not set, so the agent value applies). */
export interface CoordinatorNetconf {
  name: string;
  cniVersion: string;
  mode?: string;
  podDefaultCniNic?: string;
  tunePodRoutes?: boolean;
  podDefaultRouteNic?: string;
  podMACPrefix?: string;
  overlayPodCIDR?: string[];
  serviceCIDR?: string[];
  hijackCIDR?: string[];
  policyRoutes?: { dst?: string; gw?: string }[];
  hostRuleTable?: number;
  podRPFilter?: number;
  txQueueLen?: number;
  vethLinkAddress?: string;
  vethMTU?: number;
  socketPath?: string;
  log: CoordinatorLogOptions;
}

function fail(message: string, path = '(root)'): never {
  throw new InvalidNetconfError(`failed to load CNI network configuration: ${message}`, [{ path, message }]);
}

function parseLog(raw: z.infer<typeof LogOptions> | null | undefined): CoordinatorLogOptions {
  const defaults = { file: DEFAULT_COORDINATOR_LOG_FILE, maxSizeMB: 0, maxAgeDays: 0, maxBackups: 0 };
  if (!raw) return { level: 'debug', ...defaults };
  const level = (raw.logLevel ?? '').toLowerCase();
  if (!(LEVELS as readonly string[]).includes(level))
    fail(`unsupported log level ${raw.logLevel ?? ''}`, 'logOptions.logLevel');
  const positive = (v: number | undefined, neg: number) => (v === undefined ? 0 : v < 0 ? neg : v);
  return {
    level: level as CniLogLevel,
    file: raw.logFile || defaults.file,
    maxSizeMB: positive(raw.logMaxSize, 100),
    maxAgeDays: positive(raw.logMaxAge, 30),
    maxBackups: positive(raw.logMaxCount, 10),
  };
}

const nonEmpty = <T>(v: T[] | null | undefined): T[] | undefined => (v && v.length > 0 ? v : undefined);
const nn = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
const str = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

export function parseCoordinatorNetconf(raw: Record<string, unknown>): CoordinatorNetconf {
  const data = parseNetconfInput(CoordinatorNetconfInput, raw);
  const c = data;
  const out: CoordinatorNetconf = { name: c.name, cniVersion: c.cniVersion, log: parseLog(c.logOptions) };
  const set = <K extends keyof CoordinatorNetconf>(k: K, v: CoordinatorNetconf[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('mode', str(c.mode));
  set('podDefaultCniNic', str(c.podDefaultCniNic));
  set('tunePodRoutes', nn(c.tunePodRoutes));
  set('podDefaultRouteNic', str(c.podDefaultRouteNic));
  set('podMACPrefix', str(c.podMACPrefix));
  set('overlayPodCIDR', nonEmpty(c.overlayPodCIDR));
  set('serviceCIDR', nonEmpty(c.serviceCIDR));
  set('hijackCIDR', nonEmpty(c.hijackCIDR));
  set('policyRoutes', nonEmpty(c.policyRoutes));
  set('hostRuleTable', nn(c.hostRuleTable));
  set('podRPFilter', nn(c.podRPFilter));
  set('txQueueLen', nn(c.txQueueLen));
  set('vethLinkAddress', str(c.vethLinkAddress));
  set('vethMTU', nn(c.vethMTU));
  set('socketPath', str(c.ipam_unix_socket_path));
  return out;
}
