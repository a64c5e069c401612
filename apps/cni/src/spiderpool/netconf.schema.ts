// The `spiderpool` IPAM plugin's network configuration (the `ipam` object of the main plugin's
// netconf). Only `name`, `cniVersion` and `ipam` are read; unknown keys are ignored.
import * as z from 'zod/mini';
import { DEFAULT_AGENT_SOCKET_PATH } from '@spiderpool/agent-api';
import { PLUGIN_CNI_VERSIONS, parseNetconfInput } from '../skel/netconf-input.js';
import type { CniLogLevel } from '../logging/file-logger.js';

export const DEFAULT_LOG_FILE = '/var/log/spidernet/spiderpool.log';
export const SPIDERPOOL_CNI_VERSIONS = PLUGIN_CNI_VERSIONS;

const LEVELS = ['debug', 'info', 'warn', 'error', 'fatal', 'panic'] as const;

/** Integer or numeric string (the upstream docs show strings, the code wants numbers). */
const count = (negativeReplacement: number) =>
  z.pipe(
    z.union([z.int(), z.string().check(z.regex(/^-?\d+$/, 'must be an integer or a numeric string'))]),
    z.transform((v: number | string) => {
      const n = typeof v === 'string' ? Number(v) : v;
      return n < 0 ? negativeReplacement : n;
    }),
  );

const poolList = z.optional(
  z.nullable(z.array(z.string().check(z.minLength(1, 'pool name must not be empty')))),
);

export const SpiderpoolIpamConf = z.object({
  type: z.optional(z.string()),
  log_level: z.optional(
    z.pipe(
      z.string(),
      z.transform((v: string, ctx) => {
        const l = v.toLowerCase();
        if ((LEVELS as readonly string[]).includes(l)) return l as CniLogLevel;
        ctx.issues.push({ code: 'custom', message: `unsupported log level ${v}`, input: v });
        return z.NEVER;
      }),
    ),
  ),
  log_file_path: z.optional(z.string()),
  log_file_max_size: z.optional(count(100)),
  log_file_max_age: z.optional(count(30)),
  log_file_max_count: z.optional(count(10)),
  default_ipv4_ippool: poolList,
  default_ipv6_ippool: poolList,
  clean_gateway: z.optional(z.boolean()),
  match_master_subnet: z.optional(z.boolean()),
  ipam_unix_socket_path: z.optional(z.string()),
});

const SpiderpoolNetconfInput = z.object({
  name: z.string(),
  cniVersion: z.string(),
  ipam: z.optional(SpiderpoolIpamConf),
});

/** Netconf with defaults applied. */
export interface SpiderpoolConf {
  name: string;
  cniVersion: string;
  logLevel: CniLogLevel;
  logFilePath: string;
  logMaxSizeMB: number;
  logMaxAgeDays: number;
  logMaxBackups: number;
  defaultIPv4IPPool: string[] | null;
  defaultIPv6IPPool: string[] | null;
  cleanGateway: boolean;
  matchMasterSubnet: boolean;
  socketPath: string;
}

export function parseSpiderpoolConf(raw: Record<string, unknown>): SpiderpoolConf {
  const data = parseNetconfInput(SpiderpoolNetconfInput, raw);
  const ipam = data.ipam ?? {};
  return {
    name: data.name,
    cniVersion: data.cniVersion,
    logLevel: ipam.log_level ?? 'debug',
    logFilePath: ipam.log_file_path || DEFAULT_LOG_FILE,
    logMaxSizeMB: ipam.log_file_max_size ?? 0,
    logMaxAgeDays: ipam.log_file_max_age ?? 0,
    logMaxBackups: ipam.log_file_max_count ?? 0,
    defaultIPv4IPPool: ipam.default_ipv4_ippool ?? null,
    defaultIPv6IPPool: ipam.default_ipv6_ippool ?? null,
    cleanGateway: ipam.clean_gateway ?? false,
    matchMasterSubnet: ipam.match_master_subnet ?? false,
    socketPath: ipam.ipam_unix_socket_path || DEFAULT_AGENT_SOCKET_PATH,
  };
}
