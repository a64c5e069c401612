import { parseArgs } from 'node:util';
import { z } from 'zod';

/** `spiderpool-controller clean --validate <name> --mutating <name>` (controller-and-chart.md §0.1, §3.7). */
export interface CleanConfig {
  readonly validate: string;
  readonly mutating: string;
  readonly initJobName: string | undefined;
  readonly namespace: string | undefined;
  readonly kubeconfig: string | undefined;
  readonly logLevel: string;
}

const trimmed = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === '' ? undefined : s));

const EnvSchema = z.object({
  SPIDERPOOL_INIT_NAME: trimmed,
  SPIDERPOOL_POD_NAMESPACE: trimmed,
  SPIDERPOOL_KUBECONFIG: trimmed,
  SPIDERPOOL_LOG_LEVEL: trimmed,
});

export type CleanConfigResult = { ok: true; config: CleanConfig } | { ok: false; issues: string[] };

/** Pure: the flags after `clean` and the environment. Both webhook names are required. */
export function parseCleanConfig(args: readonly string[], env: Record<string, string | undefined>): CleanConfigResult {
  let values: { validate?: string | undefined; mutating?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { validate: { type: 'string' }, mutating: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { ok: false, issues: [(err as Error).message] };
  }
  const issues: string[] = [];
  if (!values.validate) issues.push('--validate <ValidatingWebhookConfiguration name> is required');
  if (!values.mutating) issues.push('--mutating <MutatingWebhookConfiguration name> is required');
  const e = EnvSchema.safeParse(env);
  if (!e.success) issues.push(...e.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  if (issues.length > 0 || !e.success) return { ok: false, issues };
  return {
    ok: true,
    config: Object.freeze({
      validate: values.validate as string,
      mutating: values.mutating as string,
      initJobName: e.data.SPIDERPOOL_INIT_NAME,
      namespace: e.data.SPIDERPOOL_POD_NAMESPACE,
      kubeconfig: e.data.SPIDERPOOL_KUBECONFIG,
      logLevel: e.data.SPIDERPOOL_LOG_LEVEL === 'panic' ? 'fatal' : (e.data.SPIDERPOOL_LOG_LEVEL ?? 'info'),
    }),
  };
}

/** Reads the process environment (only here, house style §13). */
export function loadCleanConfig(args: readonly string[]): CleanConfigResult {
  return parseCleanConfig(args, process.env);
}
