import { z } from 'zod';
import { ConfigError } from '../errors.js';

/** The environment spiderpoolctl reads (house style §13); parsed once in main.ts. */
export const CtlEnvSchema = z.object({
  KUBECONFIG: z.string().min(1).optional(),
  /** Namespace of the Spiderpool install (ConfigMap `spiderpool-conf`). */
  SPIDERPOOL_NAMESPACE: z.string().min(1).default('kube-system'),
});

export interface CtlConfig {
  /** `KUBECONFIG`; `--kubeconfig` overrides it. */
  readonly kubeconfig: string | undefined;
  readonly spiderpoolNamespace: string;
}

export function parseCtlConfig(env: Readonly<Record<string, string | undefined>>): CtlConfig {
  const parsed = CtlEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid environment: ${issues}`);
  }
  return Object.freeze({
    kubeconfig: parsed.data.KUBECONFIG,
    spiderpoolNamespace: parsed.data.SPIDERPOOL_NAMESPACE,
  });
}

/** The environment of this process (the one place spiderpoolctl reads it). */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
