import 'reflect-metadata';
import { KubeConfig } from '@kubernetes/client-node';
import { NestFactory } from '@nestjs/core';
import { keepAliveKubeConfig } from '@spiderpool/k8s-runtime';
import { pino } from 'pino';
import { AppModule } from './app.module.js';
import { runCleanCommand } from './clean/clean.runner.js';
import { loadControllerConfig } from './config/schema.js';

// Sub-commands (controller-and-chart.md §0.1): `clean` is the one-shot uninstall hook; anything else (`daemon`,
// or no sub-command) runs the controller.
const [command, ...args] = process.argv.slice(2);
if (command === 'clean') process.exit(await runCleanCommand(args));

const parsed = loadControllerConfig();
if (!parsed.ok) {
  process.stderr.write(`invalid controller configuration:\n  ${parsed.issues.join('\n  ')}\n`);
  process.exit(2);
}
const config = parsed.config;
const logger = pino({ level: config.logLevel, base: { component: 'spiderpool-controller' } });
try {
  const loaded = new KubeConfig();
  if (config.kubeconfig) loaded.loadFromFile(config.kubeconfig);
  else loaded.loadFromCluster();
  // One keep-alive connection pool for every client of the process (ADR 0011 "Transport").
  const kubeConfig = keepAliveKubeConfig(loaded);
  const app = await NestFactory.createApplicationContext(AppModule.register({ config, kubeConfig, logger }), { logger: false });
  app.enableShutdownHooks();
} catch (err) {
  logger.fatal({ err }, 'controller failed to start');
  process.exit(1);
}
