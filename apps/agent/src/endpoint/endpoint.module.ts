import { Module } from '@nestjs/common';
import { CLUSTER_CACHE, type ClusterCache } from '../cluster/cluster.port.js';
import { ENDPOINT_API, type EndpointApi } from './endpoint-api.port.js';
import { ENDPOINT_MANAGER, EndpointManager } from './endpoint.manager.js';

@Module({
  providers: [
    {
      provide: ENDPOINT_MANAGER,
      inject: [CLUSTER_CACHE, ENDPOINT_API],
      useFactory: (cache: ClusterCache, api: EndpointApi) => new EndpointManager(cache, api),
    },
  ],
  exports: [ENDPOINT_MANAGER],
})
export class EndpointModule {}
