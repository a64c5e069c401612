import type { Server } from 'node:http';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { LeaderElector, LeaderGate } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import { APP_CONFIG, type ControllerConfig } from '../config/schema.js';
import { startHttpServer } from '../health/health.server.js';
import type { ControllerMetrics } from '../metrics/controller.metrics.js';
import type { Registry } from 'prom-client';

export const LEADER_ELECTOR = Symbol('LEADER_ELECTOR');
export const LEADER_GATE = Symbol('LEADER_GATE');
export const LOGGER = Symbol('LOGGER');
export const CONTROLLER_METRICS = Symbol('CONTROLLER_METRICS');
export const RUNTIME_REGISTRY = Symbol('RUNTIME_REGISTRY');
/** `() => boolean`: the leader-only components of this term have synced their informers. */
export const LEADER_SYNCED = Symbol('LEADER_SYNCED');

/**
 * Process lifecycle (house style §14): probes and metrics start on every replica at bootstrap; leader-only
 * components start through the LeaderGate when the Lease is won; shutdown drains them, then releases the Lease.
 */
@Injectable()
export class ControllerLifecycleService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private servers: Server[] = [];
  private started = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: ControllerConfig,
    @Inject(LEADER_ELECTOR) private readonly elector: LeaderElector,
    @Inject(LEADER_GATE) private readonly gate: LeaderGate,
    @Inject(LEADER_SYNCED) private readonly leaderSynced: () => boolean,
    @Inject(CONTROLLER_METRICS) private readonly metrics: ControllerMetrics,
    @Inject(RUNTIME_REGISTRY) private readonly runtimeRegistry: Registry,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.metrics.enabled) {
      const registries = [this.metrics.registry, this.runtimeRegistry, ...(this.config.metrics.debug ? [this.metrics.debugRegistry] : [])];
      this.servers.push(await startHttpServer(this.config.http.metricPort, { registries }));
    }
    this.servers.push(
      await startHttpServer(this.config.http.healthPort, {
        health: {
          started: () => this.started,
          live: () => this.started,
          ready: () => this.started && this.elector.currentLeader() !== undefined && (!this.gate.isLeading() || this.leaderSynced()),
        },
      }),
    );
    this.elector.start();
    this.started = true;
    this.log.info({ healthPort: this.config.http.healthPort }, 'controller started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.log.info('controller shutting down: draining leader-only work and releasing the lease');
    await this.elector.stop();
    await Promise.all(this.servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
