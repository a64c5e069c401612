import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { AppModule, type AppDeps } from '../app.module.js';
import { loadKeyPair } from './tls-reloader.js';

export interface RunningWebhook {
  readonly app: NestExpressApplication;
  readonly port: number;
  close(): Promise<void>;
}

/** Create and start the HTTPS admission server (used by main.ts, the int tests and the bench). */
export async function startWebhookServer(deps: AppDeps): Promise<RunningWebhook> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(deps), new ExpressAdapter(), {
    httpsOptions: loadKeyPair(deps.config.certDir),
    logger: false,
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: deps.config.bodyLimit });
  app.enableShutdownHooks();
  await app.listen(deps.config.port, deps.config.host);
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return { app, port, close: () => app.close() };
}
