import { z } from 'zod';

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'TRUE', 'FALSE', 'True', 'False'])
    .default(def ? 'true' : 'false')
    .transform((v) => v.toLowerCase() === 'true' || v === '1');

/** The webhook's configuration from `SPIDERPOOL_*` env vars (HOUSE-STYLE §13). */
export const WebhookEnvSchema = z
  .object({
    SPIDERPOOL_WEBHOOK_PORT: z.coerce.number().int().min(0).max(65535).default(5722),
    SPIDERPOOL_WEBHOOK_HOST: z.string().default('0.0.0.0'),
    SPIDERPOOL_WEBHOOK_CERT_DIR: z.string().min(1).default('/etc/tls'),
    SPIDERPOOL_ENABLE_IPV4: bool(true),
    SPIDERPOOL_ENABLE_IPV6: bool(true),
    SPIDERPOOL_ENABLE_SPIDER_SUBNET: bool(true),
    SPIDERPOOL_ENABLE_VALIDATING_RESOURCES_DELETED_WEBHOOK: bool(false),
    SPIDERPOOL_COORDINATOR_ENABLED: bool(true),
    SPIDERPOOL_MULTUS_CONFIG_ENABLED: bool(true),
    SPIDERPOOL_KUBECONFIG: z.string().min(1).optional(),
    SPIDERPOOL_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
    SPIDERPOOL_WEBHOOK_BODY_LIMIT: z.string().default('10mb'),
  })
  .transform((e) => ({
    port: e.SPIDERPOOL_WEBHOOK_PORT,
    host: e.SPIDERPOOL_WEBHOOK_HOST,
    certDir: e.SPIDERPOOL_WEBHOOK_CERT_DIR,
    enableIPv4: e.SPIDERPOOL_ENABLE_IPV4,
    enableIPv6: e.SPIDERPOOL_ENABLE_IPV6,
    enableSpiderSubnet: e.SPIDERPOOL_ENABLE_SPIDER_SUBNET,
    enableValidatingResourcesDeletedWebhook: e.SPIDERPOOL_ENABLE_VALIDATING_RESOURCES_DELETED_WEBHOOK,
    coordinatorEnabled: e.SPIDERPOOL_COORDINATOR_ENABLED,
    multusConfigEnabled: e.SPIDERPOOL_MULTUS_CONFIG_ENABLED,
    kubeconfig: e.SPIDERPOOL_KUBECONFIG,
    logLevel: e.SPIDERPOOL_LOG_LEVEL,
    bodyLimit: e.SPIDERPOOL_WEBHOOK_BODY_LIMIT,
  }));

export type WebhookConfig = Readonly<z.output<typeof WebhookEnvSchema>>;

/** The feature flags the admission rules read (crds.md §1.4). */
export type FeatureFlags = Pick<
  WebhookConfig,
  'enableIPv4' | 'enableIPv6' | 'enableSpiderSubnet' | 'enableValidatingResourcesDeletedWebhook'
>;

export const APP_CONFIG = Symbol('APP_CONFIG');

export type ConfigResult = { ok: true; config: WebhookConfig } | { ok: false; issues: string[] };

export function parseWebhookConfig(env: Record<string, string | undefined>): ConfigResult {
  const r = WebhookEnvSchema.safeParse(env);
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  return { ok: true, config: Object.freeze(r.data) };
}

/** Read the process environment (only here, HOUSE-STYLE §13). */
export const loadWebhookConfig = (): ConfigResult => parseWebhookConfig(process.env);
