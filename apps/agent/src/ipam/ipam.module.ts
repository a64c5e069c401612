import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { CLUSTER_API, CLUSTER_CACHE, type ClusterApi, type ClusterCache } from '../cluster/cluster.port.js';
import { APP_CONFIG, type AgentConfig } from '../config/schema.js';
import {
  COORDINATOR_CONFIG_SERVICE,
  CoordinatorConfigService,
} from '../coordinator/coordinator-config.service.js';
import { ENDPOINT_MANAGER, type EndpointManager } from '../endpoint/endpoint.manager.js';
import { EndpointModule } from '../endpoint/endpoint.module.js';
import { IPPOOL_MANAGER, type IPPoolManager } from '../ippool/ippool.manager.js';
import { IPPoolModule } from '../ippool/ippool.module.js';
import { LOGGER } from '../observability/observability.tokens.js';
import { AutoPoolFinder } from './auto-pool.finder.js';
import { IpamController } from './ipam.controller.js';
import { IPAM_SERVICE, IpamService } from './ipam.service.js';
import { POD_EVENTS, type PodEventPort } from './pod-event.port.js';

@Module({
  imports: [IPPoolModule, EndpointModule],
  controllers: [IpamController],
  providers: [
    {
      provide: COORDINATOR_CONFIG_SERVICE,
      inject: [APP_CONFIG, CLUSTER_CACHE, CLUSTER_API],
      useFactory: (config: AgentConfig, cache: ClusterCache, api: ClusterApi) =>
        new CoordinatorConfigService({ cache, api, coordinatorName: config.coordinatorName }),
    },
    {
      provide: IPAM_SERVICE,
      inject: [APP_CONFIG, CLUSTER_CACHE, CLUSTER_API, IPPOOL_MANAGER, ENDPOINT_MANAGER, POD_EVENTS, LOGGER],
      useFactory: (
        config: AgentConfig,
        cache: ClusterCache,
        api: ClusterApi,
        pools: IPPoolManager,
        endpoints: EndpointManager,
        events: PodEventPort,
        logger: Logger,
      ) =>
        new IpamService({
          config,
          cache,
          api,
          pools,
          endpoints,
          autoPools: new AutoPoolFinder(cache, {
            intervalMs: config.waitSubnetPoolMs,
            maxRetries: config.waitSubnetPoolMaxRetries,
          }),
          events,
          logger: logger.child({ component: 'ipam' }),
        }),
    },
  ],
  exports: [IPAM_SERVICE],
})
export class IpamModule {}
