import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { INestApplication } from '@nestjs/common';
import { AppModule, type AgentDeps } from '../app.module.js';
import { AgentErrorFilter } from '../ipam/ipam.controller.js';
import { IPAM_SERVICE, type IpamService } from '../ipam/ipam.service.js';
import { ProbeServer } from './probe.server.js';

export interface RunningAgent {
  readonly socketPath: string;
  readonly healthPort: number;
  readonly metricsPort: number | undefined;
  readonly service: IpamService;
  close(): Promise<void>;
}

export interface StartAgentOptions {
  /** Exit cleanly on SIGTERM/SIGINT (the process entry point only; not for in-process test agents). */
  readonly shutdownHooks?: boolean;
}

/** Removes a stale socket file (a leftover of a previous agent) and makes sure its directory exists. */
async function prepareSocket(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const st = await lstat(path);
    if (!st.isSocket()) throw new Error(`${path} exists and is not a socket; refusing to replace it`);
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Boots one agent: Nest app (express) on the unix socket, caches synced before the socket is served, probes and
 * metrics on TCP. Several agents can run in one process (each with its own deps, socket and ports).
 */
export async function startAgent(deps: AgentDeps, options: StartAgentOptions = {}): Promise<RunningAgent> {
  const { config, logger } = deps;
  let serving = false;
  let app: INestApplication | undefined;
  const probes = new ProbeServer(
    { started: () => serving, ready: () => serving && deps.cache.synced() },
    config.metricsEnabled && config.metricsPort === config.healthPort ? deps.metrics : undefined,
  );
  const metricsServer =
    config.metricsEnabled && config.metricsPort !== config.healthPort
      ? new ProbeServer({ started: () => serving, ready: () => serving && deps.cache.synced() }, deps.metrics)
      : undefined;
  try {
    app = await NestFactory.create(AppModule.register(deps), new ExpressAdapter(), {
      logger: false,
      abortOnError: false,
    });
    app.useGlobalFilters(new AgentErrorFilter(logger));
    if (options.shutdownHooks === true) app.enableShutdownHooks();
    await app.init();
    const healthPort = await probes.listen(config.healthPort, config.httpHost);
    const metricsPort =
      metricsServer !== undefined
        ? await metricsServer.listen(config.metricsPort, config.httpHost)
        : config.metricsEnabled
          ? healthPort
          : undefined;
    await deps.cacheLifecycle.waitForSync();
    await prepareSocket(config.socketPath);
    await app.listen(config.socketPath);
    await chmod(config.socketPath, 0o600);
    serving = true;
    logger.info({ socket: config.socketPath, healthPort, metricsPort }, 'spiderpool-agent serving');
    const service = app.get<IpamService>(IPAM_SERVICE);
    const running = app;
    return {
      socketPath: config.socketPath,
      healthPort,
      metricsPort,
      service,
      close: async () => {
        serving = false;
        await Promise.all([probes.close(), metricsServer?.close()]);
        await running.close();
        await unlink(config.socketPath).catch(() => undefined);
      },
    };
  } catch (err) {
    await Promise.all([probes.close(), metricsServer?.close()]);
    await app?.close();
    throw err;
  }
}
