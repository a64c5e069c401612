import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { COORDINATOR_ENV_SHAPE, coordinatorOptions, type CoordinatorOptions } from '../coordinator/index.js';
import { MULTUSCONFIG_ENV_SHAPE, multusConfigOptions, type MultusConfigOptions } from '../multusconfig/index.js';

/** Go `strconv.ParseBool` spellings (controller-and-chart.md §0.2). */
const bool = (def: boolean) =>
  z
    .string()
    .trim()
    .default(def ? 'true' : 'false')
    .pipe(z.enum(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']))
    .transform((v) => ['1', 't', 'true'].includes(v.toLowerCase()));
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const port = (def: number) => z.coerce.number().int().min(0).max(65535).default(def);
const required = () => z.string().trim().min(1);

/** The `SPIDERPOOL_*` environment of the controller daemon (controller-and-chart.md §0.2), parsed once. */
export const ControllerEnvSchema = z.object({
  SPIDERPOOL_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'panic']).default('info'),
  SPIDERPOOL_ENABLED_METRIC: bool(false),
  SPIDERPOOL_ENABLED_DEBUG_METRIC: bool(false),
  SPIDERPOOL_METRIC_RENEW_PERIOD: int(120, 1),
  SPIDERPOOL_HEALTH_PORT: port(5720),
  SPIDERPOOL_METRIC_HTTP_PORT: port(5721),
  SPIDERPOOL_WEBHOOK_PORT: port(5722),
  SPIDERPOOL_GOPS_LISTEN_PORT: port(5724),
  SPIDERPOOL_PYROSCOPE_PUSH_SERVER_ADDRESS: z.string().default(''),
  SPIDERPOOL_GC_IP_ENABLED: bool(true),
  SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_READY_NODE_ENABLED: bool(true),
  SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_NOT_READY_NODE_ENABLED: bool(true),
  SPIDERPOOL_GC_ENABLE_STATELESS_RUNNING_POD_ON_EMPTY_POD_STATUS_IPS: bool(false),
  SPIDERPOOL_GC_IP_WORKER_NUM: int(3, 1),
  SPIDERPOOL_GC_CHANNEL_BUFFER: int(5000, 1),
  SPIDERPOOL_GC_MAX_PODENTRY_DB_CAP: int(100000, 1),
  SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION: int(600, 1),
  SPIDERPOOL_GC_TRACE_POD_GAP_DURATION: int(5, 1),
  SPIDERPOOL_GC_SIGNAL_TIMEOUT_DURATION: int(3),
  SPIDERPOOL_GC_HTTP_REQUEST_TIME_GAP: int(1),
  SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY: int(0),
  SPIDERPOOL_GC_PODENTRY_MAX_RETRIES: int(5),
  SPIDERPOOL_POD_NAMESPACE: required(),
  SPIDERPOOL_POD_NAME: required(),
  SPIDERPOOL_LEADER_DURATION: int(15, 1),
  SPIDERPOOL_LEADER_RENEW_DEADLINE: int(10, 1),
  SPIDERPOOL_LEADER_RETRY_PERIOD: int(2, 1),
  SPIDERPOOL_LEADER_RETRY_GAP: int(1),
  SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS: int(5000, 1),
  SPIDERPOOL_SUBNET_INFORMER_RESYNC_PERIOD: int(300),
  SPIDERPOOL_SUBNET_INFORMER_WORKERS: int(5, 1),
  SPIDERPOOL_SUBNET_INFORMER_MAX_WORKQUEUE_LENGTH: int(10000, 1),
  SPIDERPOOL_SUBNET_APPLICATION_CONTROLLER_WORKERS: int(5, 1),
  SPIDERPOOL_CONTROLLER_DEPLOYMENT_NAME: z.string().trim().min(1).default('spiderpool-controller'),
  SPIDERPOOL_IPPOOL_INFORMER_RESYNC_PERIOD: int(300),
  SPIDERPOOL_IPPOOL_INFORMER_WORKERS: int(3, 1),
  SPIDERPOOL_AUTO_IPPOOL_HANDLER_MAX_WORKQUEUE_LENGTH: int(10000, 1),
  SPIDERPOOL_WORKQUEUE_MAX_RETRIES: int(500),
  SPIDERPOOL_WORKQUEUE_RETRY_DELAY_DURATION: z.coerce.number().int().default(5),
  /** `--config-path` of upstream's daemon (the mounted `conf.yml`). */
  SPIDERPOOL_CONFIG_PATH: z.string().default('/tmp/spiderpool/config-map/conf.yml'),
  /** Out-of-cluster runs and tests; in-cluster config otherwise. */
  SPIDERPOOL_KUBECONFIG: z.string().min(1).optional(),
  ...COORDINATOR_ENV_SHAPE,
  ...MULTUSCONFIG_ENV_SHAPE,
});

/** The IPAM-relevant keys of `conf.yml` (ipam.md §10.1); unknown keys are ignored. */
export const ConfYmlSchema = z
  .looseObject({
    enableIPv4: z.boolean().default(false),
    enableIPv6: z.boolean().default(false),
    enableStatefulSet: z.boolean().default(false),
    enableKubevirtStaticIP: z.boolean().default(false),
    enableSpiderSubnet: z.boolean().default(false),
    enableAutoPoolForApplication: z.boolean().default(false),
    enableCleanOutdatedEndpoint: z.boolean().default(false),
    clusterSubnetAutoPoolDefaultRedundantIPNumber: z.number().int().min(0).optional(),
    /** What the chart actually writes (controller-and-chart.md §7.3); used when the code's key is absent. */
    clusterSubnetDefaultFlexibleIPNumber: z.number().int().min(0).optional(),
  })
  .transform((c) => ({
    enableIPv4: c.enableIPv4,
    enableIPv6: c.enableIPv6,
    enableStatefulSet: c.enableStatefulSet,
    enableKubevirtStaticIP: c.enableKubevirtStaticIP,
    enableSpiderSubnet: c.enableSpiderSubnet,
    enableAutoPoolForApplication: c.enableAutoPoolForApplication,
    enableCleanOutdatedEndpoint: c.enableCleanOutdatedEndpoint,
    defaultRedundantIPNumber:
      c.clusterSubnetAutoPoolDefaultRedundantIPNumber ?? c.clusterSubnetDefaultFlexibleIPNumber ?? 0,
  }));

export type ConfYml = z.output<typeof ConfYmlSchema>;

const s = (n: number): number => n * 1000;

function toConfig(env: z.output<typeof ControllerEnvSchema>, conf: ConfYml) {
  return {
    logLevel: env.SPIDERPOOL_LOG_LEVEL === 'panic' ? ('fatal' as const) : env.SPIDERPOOL_LOG_LEVEL,
    podNamespace: env.SPIDERPOOL_POD_NAMESPACE,
    podName: env.SPIDERPOOL_POD_NAME,
    kubeconfig: env.SPIDERPOOL_KUBECONFIG,
    ipam: conf,
    http: { healthPort: env.SPIDERPOOL_HEALTH_PORT, metricPort: env.SPIDERPOOL_METRIC_HTTP_PORT, webhookPort: env.SPIDERPOOL_WEBHOOK_PORT },
    metrics: {
      enabled: env.SPIDERPOOL_ENABLED_METRIC,
      debug: env.SPIDERPOOL_ENABLED_DEBUG_METRIC,
      renewPeriodMs: s(env.SPIDERPOOL_METRIC_RENEW_PERIOD),
    },
    leader: {
      leaseName: 'spiderpool-controller-leases',
      timing: {
        leaseDurationMs: s(env.SPIDERPOOL_LEADER_DURATION),
        renewDeadlineMs: s(env.SPIDERPOOL_LEADER_RENEW_DEADLINE),
        retryPeriodMs: s(env.SPIDERPOOL_LEADER_RETRY_PERIOD),
        retryGapMs: s(env.SPIDERPOOL_LEADER_RETRY_GAP),
      },
    },
    gc: {
      enabled: env.SPIDERPOOL_GC_IP_ENABLED,
      statelessTerminatingOnReadyNode: env.SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_READY_NODE_ENABLED,
      statelessTerminatingOnNotReadyNode: env.SPIDERPOOL_GC_STATELESS_TERMINATING_POD_ON_NOT_READY_NODE_ENABLED,
      statelessRunningOnEmptyPodIPs: env.SPIDERPOOL_GC_ENABLE_STATELESS_RUNNING_POD_ON_EMPTY_POD_STATUS_IPS,
      additionalGraceDelaySeconds: env.SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY,
      workers: env.SPIDERPOOL_GC_IP_WORKER_NUM,
      maxTraceEntries: env.SPIDERPOOL_GC_MAX_PODENTRY_DB_CAP,
      scanIntervalMs: s(env.SPIDERPOOL_GC_DEFAULT_INTERVAL_DURATION),
      traceIntervalMs: s(env.SPIDERPOOL_GC_TRACE_POD_GAP_DURATION),
      maxRetries: env.SPIDERPOOL_GC_PODENTRY_MAX_RETRIES,
    },
    ippool: {
      workers: env.SPIDERPOOL_IPPOOL_INFORMER_WORKERS,
      resyncPeriodMs: s(env.SPIDERPOOL_IPPOOL_INFORMER_RESYNC_PERIOD),
      maxAllocatedIPs: env.SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS,
    },
    subnet: {
      workers: env.SPIDERPOOL_SUBNET_INFORMER_WORKERS,
      appWorkers: env.SPIDERPOOL_SUBNET_APPLICATION_CONTROLLER_WORKERS,
      resyncPeriodMs: s(env.SPIDERPOOL_SUBNET_INFORMER_RESYNC_PERIOD),
    },
    workqueue: {
      maxRetries: env.SPIDERPOOL_WORKQUEUE_MAX_RETRIES,
      retryDelayMs: s(env.SPIDERPOOL_WORKQUEUE_RETRY_DELAY_DURATION),
    },
    coordinator: coordinatorOptions(env) as CoordinatorOptions,
    multusConfig: multusConfigOptions(env) as MultusConfigOptions,
  };
}

export type ControllerConfig = Readonly<ReturnType<typeof toConfig>>;

export const APP_CONFIG = Symbol('APP_CONFIG');

export type ConfigResult = { ok: true; config: ControllerConfig } | { ok: false; issues: string[] };

const issues = (prefix: string, err: z.ZodError): string[] =>
  err.issues.map((i) => `${prefix}${i.path.join('.')}: ${i.message}`);

/** Parse env + the text of `conf.yml` (empty text = all defaults). Pure. */
export function parseControllerConfig(env: Record<string, string | undefined>, confText: string): ConfigResult {
  const e = ControllerEnvSchema.safeParse(env);
  if (!e.success) return { ok: false, issues: issues('', e.error) };
  let raw: unknown;
  try {
    raw = confText.trim() === '' ? {} : parseYaml(confText);
  } catch (err) {
    return { ok: false, issues: [`conf.yml: ${(err as Error).message}`] };
  }
  const c = ConfYmlSchema.safeParse(raw ?? {});
  if (!c.success) return { ok: false, issues: issues('conf.yml: ', c.error) };
  return { ok: true, config: Object.freeze(toConfig(e.data, c.data)) };
}

/** Read the process environment and the conf.yml file (only here, house style §13). */
export function loadControllerConfig(): ConfigResult {
  const path = process.env['SPIDERPOOL_CONFIG_PATH'] ?? '/tmp/spiderpool/config-map/conf.yml';
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, issues: [`${path}: ${(err as Error).message}`] };
  }
  return parseControllerConfig(process.env, text);
}
