import 'reflect-metadata';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { loadAgentConfig } from './config/schema.js';
import { startKubeAgent } from './kube/kube-agent.js';

const parsed = loadAgentConfig();
if (!parsed.ok) {
  process.stderr.write(`invalid spiderpool-agent configuration:\n  ${parsed.issues.join('\n  ')}\n`);
  process.exit(2);
}
const config = parsed.config;
const logger = pino({
  level: config.logLevel,
  base: { component: 'spiderpool-agent', node: config.nodeName },
});
try {
  const kubeConfig = new KubeConfig();
  if (config.kubeconfig) kubeConfig.loadFromFile(config.kubeconfig);
  else kubeConfig.loadFromDefault();
  await startKubeAgent({ kubeConfig, config, logger, shutdownHooks: true });
} catch (err) {
  logger.fatal({ err }, 'spiderpool-agent failed to start');
  process.exit(1);
}
