import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:https';
import type { Logger } from 'pino';
import { TlsError } from '../admission/errors.js';
import { APP_CONFIG, type WebhookConfig } from '../config/schema.js';
import { LOG_FIELDS } from '../observability/log-fields.js';
import { LOGGER } from '../observability/observability.tokens.js';

export interface KeyPair {
  cert: Buffer;
  key: Buffer;
}

/** Read `tls.crt` / `tls.key` from a cert dir (the layout of a kubernetes.io/tls Secret mount). */
export function loadKeyPair(certDir: string): KeyPair {
  try {
    return { cert: readFileSync(join(certDir, 'tls.crt')), key: readFileSync(join(certDir, 'tls.key')) };
  } catch (err) {
    throw new TlsError(`cannot read tls.crt/tls.key in ${certDir}`, { cause: err });
  }
}

/**
 * Watches the cert dir and swaps the server's secure context when the files rotate (Secret volumes swap a
 * `..data` symlink, so the directory is watched, not the files). A half-written pair is retried on the next event.
 */
@Injectable()
export class TlsReloader implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  reloads = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: WebhookConfig,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server === undefined || typeof server.setSecureContext !== 'function') return;
    this.watcher = watch(this.config.certDir, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(server), 100);
    });
  }

  private reload(server: Server): void {
    try {
      const pair = loadKeyPair(this.config.certDir);
      server.setSecureContext(pair);
      this.reloads++;
      this.log.info({ [LOG_FIELDS.certDir]: this.config.certDir }, 'serving certificate reloaded');
    } catch (err) {
      this.log.warn({ err, [LOG_FIELDS.certDir]: this.config.certDir }, 'serving certificate reload failed; keeping the old one');
    }
  }

  beforeApplicationShutdown(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}
