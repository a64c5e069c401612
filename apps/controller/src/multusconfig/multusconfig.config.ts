import { z } from 'zod';

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 't', 'f', 'T', 'F', 'TRUE', 'FALSE', 'True', 'False'])
    .default(def ? 'true' : 'false')
    .transform((v) => ['true', '1', 't'].includes(v.toLowerCase()));

const seconds = (def: number) => z.coerce.number().int().min(0).default(def);

/**
 * Env fragment of the SpiderMultusConfig controller (controller-and-chart.md §0.2). The app's `config/schema.ts`
 * merges the shape (`z.object({ ...other, ...MULTUSCONFIG_ENV_SHAPE })`) and maps the parsed values with
 * `multusConfigOptions`.
 */
export const MULTUSCONFIG_ENV_SHAPE = {
  SPIDERPOOL_MULTUS_CONFIG_ENABLED: bool(false),
  SPIDERPOOL_MULTUS_CONFIG_INFORMER_RESYNC_PERIOD: seconds(60),
};

export const MultusConfigEnvSchema = z.object(MULTUSCONFIG_ENV_SHAPE);
export type MultusConfigEnv = z.output<typeof MultusConfigEnvSchema>;

export interface MultusConfigOptions {
  readonly enabled: boolean;
  /** Re-deliver every SMC this often so manual NAD drift is repaired even without an event. */
  readonly resyncPeriodMs: number;
}

export function multusConfigOptions(env: MultusConfigEnv): MultusConfigOptions {
  return Object.freeze({
    enabled: env.SPIDERPOOL_MULTUS_CONFIG_ENABLED,
    resyncPeriodMs: env.SPIDERPOOL_MULTUS_CONFIG_INFORMER_RESYNC_PERIOD * 1000,
  });
}
