import { CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, type SpiderEndpoint, type SpiderReservedIP } from '@spiderpool/crd-types';
import { isNotFound, keepAliveKubeConfig } from '@spiderpool/k8s-runtime';
import type { ClusterPort, StoredPool } from './cluster.port.js';

const orUndefined = async <T>(p: Promise<T>): Promise<T | undefined> => {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
};

const GV = { group: API_GROUP, version: API_VERSION };

/** The ClusterPort over client-node (one keep-alive connection pool). */
export class KubeClusterClient implements ClusterPort {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(kubeConfig: KubeConfig) {
    const kc = keepAliveKubeConfig(kubeConfig);
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
  }

  getPod(namespace: string, name: string): Promise<V1Pod | undefined> {
    return orUndefined(this.core.readNamespacedPod({ namespace, name }));
  }

  getNamespace(name: string) {
    return orUndefined(this.core.readNamespace({ name }));
  }

  getNode(name: string) {
    return orUndefined(this.core.readNode({ name }));
  }

  getConfigMap(namespace: string, name: string) {
    return orUndefined(this.core.readNamespacedConfigMap({ namespace, name }));
  }

  async listPools(): Promise<StoredPool[]> {
    const list = (await this.custom.listClusterCustomObject({ ...GV, plural: 'spiderippools' })) as {
      items: StoredPool[];
    };
    return list.items;
  }

  getPool(name: string): Promise<StoredPool | undefined> {
    return orUndefined(
      this.custom.getClusterCustomObject({ ...GV, plural: 'spiderippools', name }) as Promise<StoredPool>,
    );
  }

  async replacePoolStatus(pool: StoredPool): Promise<StoredPool> {
    return (await this.custom.replaceClusterCustomObjectStatus({
      ...GV,
      plural: 'spiderippools',
      name: pool.metadata.name,
      body: pool,
    })) as StoredPool;
  }

  async listReservedIPs(): Promise<SpiderReservedIP[]> {
    const list = (await this.custom.listClusterCustomObject({ ...GV, plural: 'spiderreservedips' })) as {
      items: SpiderReservedIP[];
    };
    return list.items;
  }

  getEndpoint(namespace: string, name: string): Promise<SpiderEndpoint | undefined> {
    return orUndefined(
      this.custom.getNamespacedCustomObject({
        ...GV,
        plural: 'spiderendpoints',
        namespace,
        name,
      }) as Promise<SpiderEndpoint>,
    );
  }

  async replaceEndpoint(endpoint: SpiderEndpoint): Promise<SpiderEndpoint> {
    return (await this.custom.replaceNamespacedCustomObject({
      ...GV,
      plural: 'spiderendpoints',
      namespace: endpoint.metadata.namespace as string,
      name: endpoint.metadata.name as string,
      body: endpoint,
    })) as SpiderEndpoint;
  }
}
