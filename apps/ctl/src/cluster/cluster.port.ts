import type { V1ConfigMap, V1Namespace, V1Node, V1Pod } from '@kubernetes/client-node';
import type { SpiderEndpoint, SpiderIPPool, SpiderReservedIP } from '@spiderpool/crd-types';

/** A stored SpiderIPPool (always named, carries the resourceVersion it was read at). */
export type StoredPool = SpiderIPPool & { readonly metadata: { readonly name: string } };

/**
 * Everything spiderpoolctl reads and writes, as live API calls (never a cache: the CLI runs once). Reads resolve
 * `undefined` for a missing object; writes carry the observed resourceVersion and reject with a k8s Conflict.
 */
export interface ClusterPort {
  getPod(namespace: string, name: string): Promise<V1Pod | undefined>;
  getNamespace(name: string): Promise<V1Namespace | undefined>;
  getNode(name: string): Promise<V1Node | undefined>;
  getConfigMap(namespace: string, name: string): Promise<V1ConfigMap | undefined>;
  listPools(): Promise<StoredPool[]>;
  getPool(name: string): Promise<StoredPool | undefined>;
  /** PUT of the `/status` subresource. */
  replacePoolStatus(pool: StoredPool): Promise<StoredPool>;
  listReservedIPs(): Promise<SpiderReservedIP[]>;
  getEndpoint(namespace: string, name: string): Promise<SpiderEndpoint | undefined>;
  replaceEndpoint(endpoint: SpiderEndpoint): Promise<SpiderEndpoint>;
}
