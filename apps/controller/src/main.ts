import 'reflect-metadata';
import { KubeConfig } from '@kubernetes/client-node';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { AppModule } from './app.module.js';
import { loadControllerConfig } from './config/schema.js';

const parsed = loadControllerConfig();
if (!parsed.ok) {
  process.stderr.write(`invalid controller configuration:\n  ${parsed.issues.join('\n  ')}\n`);
  process.exit(2);
}
const config = parsed.config;
const logger = pino({ level: config.logLevel, base: { component: 'spiderpool-controller' } });
try {
  const kubeConfig = new KubeConfig();
  if (config.kubeconfig) kubeConfig.loadFromFile(config.kubeconfig);
  else kubeConfig.loadFromCluster();
  const app = await NestFactory.createApplicationContext(AppModule.register({ config, kubeConfig, logger }), { logger: false });
  app.enableShutdownHooks();
} catch (err) {
  logger.fatal({ err }, 'controller failed to start');
  process.exit(1);
}
