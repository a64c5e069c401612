// Netconf pieces every plugin of this binary shares: the CNI versions they speak and the zod boundary check.
import type * as z from 'zod/mini';
import { InvalidNetconfError } from '../errors.js';

/** The CNI spec versions the spiderpool, coordinator and ifacer plugins accept. */
export const PLUGIN_CNI_VERSIONS = ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const;

/** Validate a raw netconf against a plugin's input schema; throws `InvalidNetconfError` listing every issue. */
export function parseNetconfInput<S extends z.ZodMiniType>(schema: S, raw: Record<string, unknown>): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    throw new InvalidNetconfError(
      `failed to load CNI network configuration: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return r.data;
}
