import { pino } from 'pino';
import { InformerIPPoolIndex } from './cluster/informer-ippool-index.js';
import { KubeClusterReader } from './cluster/kube-cluster-reader.js';
import { loadWebhookConfig } from './config/schema.js';
import { startWebhookServer } from './server/webhook-server.js';

const parsed = loadWebhookConfig();
if (!parsed.ok) {
  process.stderr.write(`invalid webhook configuration:\n  ${parsed.issues.join('\n  ')}\n`);
  process.exit(2);
}
const config = parsed.config;
const logger = pino({ level: config.logLevel, base: { component: 'webhook' } });
try {
  const running = await startWebhookServer({
    config,
    logger,
    reader: KubeClusterReader.fromKubeconfig(config.kubeconfig),
    poolIndex: InformerIPPoolIndex.fromKubeconfig(config.kubeconfig, logger),
  });
  logger.info({ port: running.port }, 'admission webhook listening');
} catch (err) {
  logger.fatal({ err }, 'admission webhook failed to start');
  process.exit(1);
}
