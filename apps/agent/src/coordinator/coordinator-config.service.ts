import type { CoordinatorConfig, CoordinatorConfigQuery } from '@spiderpool/agent-api';
import type { ClusterApi, ClusterCache } from '../cluster/cluster.port.js';
import {
  CoordinatorNotFoundError,
  CoordinatorNotReadyError,
  NotReadyError,
  PodNotFoundError,
} from '../errors.js';
import { coordinatorConfigFor } from './coordinator-config.js';

export interface CoordinatorConfigDeps {
  readonly cache: ClusterCache;
  readonly api: ClusterApi;
  /** Name of the SpiderCoordinator to answer with (config `coordinatorName`). */
  readonly coordinatorName: string;
}

/**
 * GET /v1/coordinator/config: the named SpiderCoordinator from the cache (must be `Synced`) and the pod (cache,
 * live GET on a miss — the coordinator runs right after the IPAM ADD, possibly before the pod reached the cache).
 */
export class CoordinatorConfigService {
  constructor(private readonly deps: CoordinatorConfigDeps) {}

  async configFor(query: CoordinatorConfigQuery): Promise<CoordinatorConfig> {
    const { cache, api, coordinatorName } = this.deps;
    if (!cache.synced()) throw new NotReadyError('the agent caches have not synced yet');
    const coordinator = cache.coordinator(coordinatorName);
    if (coordinator === undefined) {
      throw new CoordinatorNotFoundError(
        `coordinator config not found: SpiderCoordinator ${coordinatorName}`,
      );
    }
    if (coordinator.status?.phase !== 'Synced') {
      throw new CoordinatorNotReadyError(
        `spidercoordinator: ${coordinatorName} no ready` +
          (coordinator.status?.reason ? `: ${coordinator.status.reason}` : ''),
      );
    }
    const { podNamespace: ns, podName: name } = query;
    const pod = cache.pod(ns, name) ?? (await api.readPod(ns, name));
    if (pod === undefined) throw new PodNotFoundError(`failed to get pod ${ns}/${name}: not found`);
    return coordinatorConfigFor(coordinator, pod);
  }
}

export const COORDINATOR_CONFIG_SERVICE = Symbol('COORDINATOR_CONFIG_SERVICE');
