import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DEFAULT_COORDINATOR_NAME } from '@spiderpool/crd-types';

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'TRUE', 'FALSE', 'True', 'False'])
    .default(def ? 'true' : 'false')
    .transform((v) => v.toLowerCase() === 'true' || v === '1');

const port = (def: number) => z.coerce.number().int().min(0).max(65535).default(def);
const positiveInt = (def: number) => z.coerce.number().int().min(1).default(def);

/** `SPIDERPOOL_*` env of the agent (cni-and-agent.md §5.1, ipam.md §10.2) plus the agent's own tuning knobs. */
export const AgentEnvSchema = z.object({
  SPIDERPOOL_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  SPIDERPOOL_ENABLED_METRIC: bool(false),
  SPIDERPOOL_POD_NAMESPACE: z.string().min(1),
  SPIDERPOOL_POD_NAME: z.string().min(1).default('spiderpool-agent'),
  SPIDERPOOL_NODE_NAME: z.string().min(1),
  SPIDERPOOL_HEALTH_PORT: port(5710),
  SPIDERPOOL_METRIC_HTTP_PORT: port(5711),
  SPIDERPOOL_HTTP_HOST: z.string().default('0.0.0.0'),
  SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS: bool(true),
  SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS: positiveInt(5000),
  SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND: z.coerce.number().min(0).default(2),
  SPIDERPOOL_WAIT_SUBNET_POOL_MAX_RETRIES: positiveInt(25),
  /** Floor of attempts of one coalesced pool status write before RETRIES_EXHAUSTED (upstream: 5 per request). */
  SPIDERPOOL_IPPOOL_UPDATE_MAX_ATTEMPTS: positiveInt(12),
  /**
   * Time budget of one coalesced pool status write against 409s (ADR 0010): conflicts are retried until both this
   * and the attempt floor are spent. Stays well below the CNI's 100 s ADD call timeout.
   */
  SPIDERPOOL_IPPOOL_UPDATE_TIMEOUT_MS: positiveInt(30_000),
  SPIDERPOOL_IPPOOL_UPDATE_RETRY_BASE_MS: positiveInt(10),
  SPIDERPOOL_IPPOOL_UPDATE_RETRY_MAX_MS: positiveInt(800),
  /** Requests waiting for one pool's write before QUEUE_FULL (upstream limiter: 1000). */
  SPIDERPOOL_IPPOOL_MAX_PENDING: positiveInt(1000),
  /** SpiderCoordinator answered by GET /v1/coordinator/config (the chart's singleton). */
  SPIDERPOOL_COORDINATOR_DEFAULT_NAME: z.string().min(1).default(DEFAULT_COORDINATOR_NAME),
  SPIDERPOOL_CONFIG_PATH: z.string().min(1).optional(),
  SPIDERPOOL_KUBECONFIG: z.string().min(1).optional(),
  MULTUS_CLUSTER_NETWORK: z.string().optional(),
});

/** `conf.yml` of ConfigMap `spiderpool-conf` (ipam.md §10.1); keys the agent does not use are ignored. */
export const AgentConfigFileSchema = z.looseObject({
  ipamUnixSocketPath: z.string().nullish(),
  enableIPv4: z.boolean().default(true),
  enableIPv6: z.boolean().default(true),
  enableStatefulSet: z.boolean().default(true),
  enableKubevirtStaticIP: z.boolean().default(true),
  enableSpiderSubnet: z.boolean().default(true),
  enableAutoPoolForApplication: z.boolean().default(true),
  enableIPConflictDetection: z.boolean().default(false),
  enableGatewayDetection: z.boolean().default(false),
});

export const DEFAULT_SOCKET_PATH = '/var/run/spidernet/spiderpool.sock';
export const DEFAULT_CONFIG_PATH = '/tmp/spiderpool/config-map/conf.yml';

export interface AgentConfig {
  readonly logLevel: z.output<typeof AgentEnvSchema>['SPIDERPOOL_LOG_LEVEL'];
  readonly agentNamespace: string;
  readonly agentPodName: string;
  readonly nodeName: string;
  readonly socketPath: string;
  readonly httpHost: string;
  readonly healthPort: number;
  readonly metricsEnabled: boolean;
  readonly metricsPort: number;
  readonly kubeconfig: string | undefined;
  readonly clusterNetwork: string | undefined;
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
  readonly enableStatefulSet: boolean;
  readonly enableKubevirtStaticIP: boolean;
  readonly enableSpiderSubnet: boolean;
  readonly enableAutoPoolForApplication: boolean;
  readonly enableIPConflictDetection: boolean;
  readonly enableGatewayDetection: boolean;
  readonly enableReleaseConflictIPs: boolean;
  readonly maxAllocatedIPs: number;
  readonly waitSubnetPoolMs: number;
  readonly waitSubnetPoolMaxRetries: number;
  readonly poolUpdate: {
    readonly attempts: number;
    readonly timeoutMs: number;
    readonly baseMs: number;
    readonly maxMs: number;
  };
  readonly maxPendingPerPool: number;
  readonly coordinatorName: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export type ConfigResult = { ok: true; config: AgentConfig } | { ok: false; issues: string[] };

const issuesOf = (prefix: string, error: z.ZodError): string[] =>
  error.issues.map((i) => `${prefix}${i.path.join('.')}: ${i.message}`);

/**
 * Env + conf.yml → frozen config. `readFile` returns undefined when the file does not exist; a missing file at the
 * default path means "all defaults", a missing file at an explicit `SPIDERPOOL_CONFIG_PATH` is an error.
 */
export function parseAgentConfig(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string | undefined,
): ConfigResult {
  const e = AgentEnvSchema.safeParse(env);
  if (!e.success) return { ok: false, issues: issuesOf('env ', e.error) };
  const path = e.data.SPIDERPOOL_CONFIG_PATH ?? DEFAULT_CONFIG_PATH;
  const text = readFile(path);
  if (text === undefined && e.data.SPIDERPOOL_CONFIG_PATH !== undefined) {
    return { ok: false, issues: [`config file ${path} does not exist`] };
  }
  let raw: unknown;
  try {
    raw = text === undefined ? {} : (parseYaml(text) ?? {});
  } catch (err) {
    return { ok: false, issues: [`config file ${path} is not YAML: ${(err as Error).message}`] };
  }
  const f = AgentConfigFileSchema.safeParse(raw);
  if (!f.success) return { ok: false, issues: issuesOf(`${path} `, f.error) };
  const env2 = e.data;
  const file = f.data;
  return {
    ok: true,
    config: Object.freeze({
      logLevel: env2.SPIDERPOOL_LOG_LEVEL,
      agentNamespace: env2.SPIDERPOOL_POD_NAMESPACE,
      agentPodName: env2.SPIDERPOOL_POD_NAME,
      nodeName: env2.SPIDERPOOL_NODE_NAME,
      socketPath: file.ipamUnixSocketPath || DEFAULT_SOCKET_PATH,
      httpHost: env2.SPIDERPOOL_HTTP_HOST,
      healthPort: env2.SPIDERPOOL_HEALTH_PORT,
      metricsEnabled: env2.SPIDERPOOL_ENABLED_METRIC,
      metricsPort: env2.SPIDERPOOL_METRIC_HTTP_PORT,
      kubeconfig: env2.SPIDERPOOL_KUBECONFIG,
      clusterNetwork: env2.MULTUS_CLUSTER_NETWORK || undefined,
      enableIPv4: file.enableIPv4,
      enableIPv6: file.enableIPv6,
      enableStatefulSet: file.enableStatefulSet,
      enableKubevirtStaticIP: file.enableKubevirtStaticIP,
      enableSpiderSubnet: file.enableSpiderSubnet,
      enableAutoPoolForApplication: file.enableAutoPoolForApplication,
      enableIPConflictDetection: file.enableIPConflictDetection,
      enableGatewayDetection: file.enableGatewayDetection,
      enableReleaseConflictIPs: env2.SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS,
      maxAllocatedIPs: env2.SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS,
      waitSubnetPoolMs: env2.SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND * 1000,
      waitSubnetPoolMaxRetries: env2.SPIDERPOOL_WAIT_SUBNET_POOL_MAX_RETRIES,
      poolUpdate: {
        attempts: env2.SPIDERPOOL_IPPOOL_UPDATE_MAX_ATTEMPTS,
        timeoutMs: env2.SPIDERPOOL_IPPOOL_UPDATE_TIMEOUT_MS,
        baseMs: env2.SPIDERPOOL_IPPOOL_UPDATE_RETRY_BASE_MS,
        maxMs: env2.SPIDERPOOL_IPPOOL_UPDATE_RETRY_MAX_MS,
      },
      maxPendingPerPool: env2.SPIDERPOOL_IPPOOL_MAX_PENDING,
      coordinatorName: env2.SPIDERPOOL_COORDINATOR_DEFAULT_NAME,
    }),
  };
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Reads the process environment and conf.yml (only here, house style §13). */
export const loadAgentConfig = (): ConfigResult => parseAgentConfig(process.env, readIfExists);

/** A complete config for tests and in-process agents. */
export function testAgentConfig(overrides: Partial<AgentConfig> = {}): AgentConfig {
  const parsed = parseAgentConfig(
    { SPIDERPOOL_POD_NAMESPACE: 'kube-system', SPIDERPOOL_NODE_NAME: 'node-1' },
    () => undefined,
  );
  if (!parsed.ok) throw new Error(parsed.issues.join('; '));
  return Object.freeze({ ...parsed.config, ...overrides });
}
