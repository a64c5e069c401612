import {
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type Provider,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { AdmissionDispatcher } from './admission/admission.dispatcher.js';
import type { KindWebhook } from './admission/kind-webhook.js';
import { CLUSTER_READER, type ClusterReader } from './cluster/cluster-reader.port.js';
import { IPPOOL_INDEX, type IPPoolIndex } from './cluster/ippool-index.port.js';
import { APP_CONFIG, type WebhookConfig } from './config/schema.js';
import { COORDINATOR_WEBHOOK, CoordinatorModule } from './coordinator/coordinator.module.js';
import { IPPOOL_WEBHOOK, IPPoolModule } from './ippool/ippool.module.js';
import { MULTUSCONFIG_WEBHOOK, MultusConfigModule } from './multusconfig/multusconfig.module.js';
import { AdmissionMetrics } from './observability/admission-metrics.js';
import { ADMISSION_METRICS, LOGGER } from './observability/observability.tokens.js';
import { RESERVEDIP_WEBHOOK, ReservedIPModule } from './reservedip/reservedip.module.js';
import { AdmissionController } from './server/admission.controller.js';
import { TlsReloader } from './server/tls-reloader.js';
import { ADMISSION_DISPATCHER, WEBHOOK_REGISTRY, WebhookRegistry } from './server/webhook.registry.js';
import { SUBNET_WEBHOOK, SubnetModule, subnetDisabledWebhook } from './subnet/subnet.module.js';

export interface AppDeps {
  readonly config: WebhookConfig;
  readonly logger: Logger;
  readonly reader: ClusterReader;
  /** Informer-fed pool index for IPP-V6/V7 (ADR 0008); without it every create lists the pools live. */
  readonly poolIndex?: ManagedIPPoolIndex;
}

/** An IPPoolIndex whose watch the webhook's lifecycle starts and stops. */
export interface ManagedIPPoolIndex extends IPPoolIndex {
  start(): void;
  stop(): Promise<void>;
}

const MANAGED_POOL_INDEX = Symbol('MANAGED_POOL_INDEX');

/** Starts the pool index's watch after bootstrap and stops it on shutdown (house style §14). */
class PoolIndexLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(MANAGED_POOL_INDEX) private readonly index: ManagedIPPoolIndex | null) {}

  onApplicationBootstrap(): void {
    this.index?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.index?.stop();
  }
}

@Global()
@Module({})
class CoreModule {
  static register(deps: AppDeps): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: deps.config },
      { provide: LOGGER, useValue: deps.logger },
      { provide: CLUSTER_READER, useValue: deps.reader },
      { provide: IPPOOL_INDEX, useValue: deps.poolIndex ?? null },
      { provide: MANAGED_POOL_INDEX, useValue: deps.poolIndex ?? null },
      PoolIndexLifecycle,
      { provide: ADMISSION_METRICS, useValue: new AdmissionMetrics() },
    ];
    return { module: CoreModule, providers, exports: providers };
  }
}

/** Wires the kind modules that the feature flags enable (crds.md §1.4) into one registry. */
@Module({})
export class AppModule {
  static register(deps: AppDeps): DynamicModule {
    const c = deps.config;
    const kinds: { module: new () => unknown; token: symbol; on: boolean }[] = [
      { module: IPPoolModule, token: IPPOOL_WEBHOOK, on: true },
      { module: ReservedIPModule, token: RESERVEDIP_WEBHOOK, on: true },
      { module: SubnetModule, token: SUBNET_WEBHOOK, on: c.enableSpiderSubnet },
      { module: CoordinatorModule, token: COORDINATOR_WEBHOOK, on: c.coordinatorEnabled },
      { module: MultusConfigModule, token: MULTUSCONFIG_WEBHOOK, on: c.multusConfigEnabled },
    ].filter((k) => k.on);
    return {
      module: AppModule,
      imports: [CoreModule.register(deps), ...kinds.map((k) => k.module)],
      controllers: [AdmissionController],
      providers: [
        {
          provide: WEBHOOK_REGISTRY,
          inject: kinds.map((k) => k.token),
          useFactory: (...webhooks: KindWebhook[]) =>
            new WebhookRegistry(c.enableSpiderSubnet ? webhooks : [...webhooks, subnetDisabledWebhook()]),
        },
        {
          provide: ADMISSION_DISPATCHER,
          inject: [LOGGER, ADMISSION_METRICS],
          useFactory: (log: Logger, metrics: AdmissionMetrics) => new AdmissionDispatcher(log, metrics),
        },
        TlsReloader,
      ],
    };
  }
}
