import {
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type Provider,
} from '@nestjs/common';
import { CACHE_LIFECYCLE, type CacheLifecycle } from './cluster/cluster-lifecycle.port.js';
import { CLUSTER_API, CLUSTER_CACHE, type ClusterApi, type ClusterCache } from './cluster/cluster.port.js';
import { APP_CONFIG, type AgentConfig } from './config/schema.js';
import { ENDPOINT_API, type EndpointApi } from './endpoint/endpoint-api.port.js';
import { IPPOOL_API, type IPPoolApi } from './ippool/ippool-api.port.js';
import { IpamModule } from './ipam/ipam.module.js';
import { POD_EVENTS, type PodEventPort } from './ipam/pod-event.port.js';
import { AGENT_METRICS, type AgentMetrics } from './observability/agent-metrics.js';
import { LOGGER } from './observability/observability.tokens.js';
import type { Logger } from 'pino';

/** Everything the agent needs from the outside, as ports (real Kubernetes adapters in main.ts, fakes in tests). */
export interface AgentDeps {
  readonly config: AgentConfig;
  readonly logger: Logger;
  readonly metrics: AgentMetrics;
  readonly cache: ClusterCache;
  readonly cacheLifecycle: CacheLifecycle;
  readonly clusterApi: ClusterApi;
  readonly ippoolApi: IPPoolApi;
  readonly endpointApi: EndpointApi;
  readonly events: PodEventPort;
}

/** Starts the caches when the application boots and stops them on shutdown (house style §14). */
class CacheLifecycleHook implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(CACHE_LIFECYCLE) private readonly caches: CacheLifecycle) {}

  onApplicationBootstrap(): void {
    this.caches.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.caches.stop();
  }
}

@Global()
@Module({})
class CoreModule {
  static register(deps: AgentDeps): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: deps.config },
      { provide: LOGGER, useValue: deps.logger },
      { provide: AGENT_METRICS, useValue: deps.metrics },
      { provide: CLUSTER_CACHE, useValue: deps.cache },
      { provide: CACHE_LIFECYCLE, useValue: deps.cacheLifecycle },
      { provide: CLUSTER_API, useValue: deps.clusterApi },
      { provide: IPPOOL_API, useValue: deps.ippoolApi },
      { provide: ENDPOINT_API, useValue: deps.endpointApi },
      { provide: POD_EVENTS, useValue: deps.events },
    ];
    return { module: CoreModule, providers: [...providers, CacheLifecycleHook], exports: providers };
  }
}

@Module({})
export class AppModule {
  static register(deps: AgentDeps): DynamicModule {
    return { module: AppModule, imports: [CoreModule.register(deps), IpamModule] };
  }
}
