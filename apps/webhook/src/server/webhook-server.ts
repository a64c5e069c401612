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
  const close = async (): Promise<void> => {
    // The API server keeps connections to its webhooks open; without this, close waits for them to time out
    // (~60 s). In-flight reviews get a short grace period, then every connection is dropped.
    const http = app.getHttpServer() as import('node:https').Server;
    http.closeIdleConnections();
    const force = setTimeout(() => http.closeAllConnections(), 2000);
    force.unref();
    try {
      await app.close();
    } finally {
      clearTimeout(force);
    }
  };
  return { app, port, close };
}
