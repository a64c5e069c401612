import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { CLUSTER_CACHE, type ClusterCache } from '../cluster/cluster.port.js';
import { APP_CONFIG, type AgentConfig } from '../config/schema.js';
import { AGENT_METRICS, type AgentMetrics } from '../observability/agent-metrics.js';
import { LOGGER } from '../observability/observability.tokens.js';
import { IPPOOL_API, type IPPoolApi } from './ippool-api.port.js';
import { IPPOOL_MANAGER, IPPoolManager, reservedIPSet } from './ippool.manager.js';
import { PoolWriteBatcher } from './pool-write.batcher.js';

@Module({
  providers: [
    {
      provide: IPPOOL_MANAGER,
      inject: [APP_CONFIG, CLUSTER_CACHE, IPPOOL_API, LOGGER, AGENT_METRICS],
      useFactory: (
        config: AgentConfig,
        cache: ClusterCache,
        api: IPPoolApi,
        logger: Logger,
        metrics: AgentMetrics,
      ) => {
        const batcher = new PoolWriteBatcher({
          api,
          reserved: (family) => reservedIPSet(cache, family),
          policy: config.poolUpdate,
          maxPending: config.maxPendingPerPool,
          logger: logger.child({ component: 'ippool-batcher' }),
          observer: metrics,
        });
        return new IPPoolManager(batcher, config.maxAllocatedIPs);
      },
    },
  ],
  exports: [IPPOOL_MANAGER],
})
export class IPPoolModule {}
