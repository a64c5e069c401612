import { KubeConfig } from '@kubernetes/client-node';
import { keepAliveKubeConfig } from '@spiderpool/k8s-runtime';
import { pino } from 'pino';
import { KubeObjectClient } from '../api-client/kube-object.client.js';
import { loadCleanConfig } from '../config/clean.config.js';
import { UninstallCleaner } from './clean.command.js';

/** `main.mjs clean …`: runs the uninstall cleaner once; resolves to the process exit code. */
export async function runCleanCommand(args: readonly string[]): Promise<number> {
  const parsed = loadCleanConfig(args);
  if (!parsed.ok) {
    process.stderr.write(`usage: clean --validate <name> --mutating <name>\n  ${parsed.issues.join('\n  ')}\n`);
    return 2;
  }
  const { config } = parsed;
  const logger = pino({ level: config.logLevel, base: { component: 'spiderpool-controller', command: 'clean' } });
  const loaded = new KubeConfig();
  if (config.kubeconfig) loaded.loadFromFile(config.kubeconfig);
  else loaded.loadFromCluster();
  const kubeConfig = keepAliveKubeConfig(loaded);
  try {
    const report = await new UninstallCleaner(new KubeObjectClient(kubeConfig), logger).run(config);
    logger.info({ deleted: report.deleted.length, errors: report.errors.length }, 'clean finished');
    return report.errors.length === 0 ? 0 : 1;
  } finally {
    await kubeConfig.close();
  }
}
