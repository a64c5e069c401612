import type { V1ConfigMap, V1Namespace, V1Node, V1Pod } from '@kubernetes/client-node';
import type { SpiderEndpoint, SpiderReservedIP } from '@spiderpool/crd-types';
import type { ClusterPort, StoredPool } from './cluster.port.js';

/** A 409 shaped like client-node's ApiException (k8sErrorCode classifies it as Conflict). */
export class FakeConflict extends Error {
  readonly code = 409;
  readonly body = JSON.stringify({ kind: 'Status', reason: 'Conflict' });
}

const clone = <T>(v: T): T => structuredClone(v);

/**
 * In-memory ClusterPort with resourceVersion checks on writes. `conflictsBeforeWrite` makes the next N writes
 * fail with a Conflict after bumping the stored object (a concurrent writer).
 */
export class FakeCluster implements ClusterPort {
  readonly pods = new Map<string, V1Pod>();
  readonly namespaces = new Map<string, V1Namespace>();
  readonly nodes = new Map<string, V1Node>();
  readonly configMaps = new Map<string, V1ConfigMap>();
  readonly pools = new Map<string, StoredPool>();
  readonly reservedIPs: SpiderReservedIP[] = [];
  readonly endpoints = new Map<string, SpiderEndpoint>();
  conflictsBeforeWrite = 0;
  writes = 0;
  private rv = 100;

  addPool(pool: StoredPool): void {
    this.pools.set(pool.metadata.name, { ...pool, metadata: { ...pool.metadata, resourceVersion: this.nextRv() } });
  }

  addEndpoint(ep: SpiderEndpoint): void {
    this.endpoints.set(`${ep.metadata.namespace}/${ep.metadata.name}`, {
      ...ep,
      metadata: { ...ep.metadata, resourceVersion: this.nextRv() },
    });
  }

  addPod(pod: V1Pod): void {
    this.pods.set(`${pod.metadata?.namespace}/${pod.metadata?.name}`, pod);
  }

  private nextRv(): string {
    this.rv += 1;
    return String(this.rv);
  }

  async getPod(namespace: string, name: string) {
    return clone(this.pods.get(`${namespace}/${name}`));
  }

  async getNamespace(name: string) {
    return clone(this.namespaces.get(name));
  }

  async getNode(name: string) {
    return clone(this.nodes.get(name));
  }

  async getConfigMap(namespace: string, name: string) {
    return clone(this.configMaps.get(`${namespace}/${name}`));
  }

  async listPools() {
    return [...this.pools.values()].map(clone);
  }

  async getPool(name: string) {
    return clone(this.pools.get(name));
  }

  async replacePoolStatus(pool: StoredPool): Promise<StoredPool> {
    const current = this.pools.get(pool.metadata.name);
    if (current === undefined) throw Object.assign(new Error('not found'), { code: 404 });
    this.checkWrite(current.metadata.resourceVersion, pool.metadata.resourceVersion, () => {
      this.pools.set(pool.metadata.name, { ...current, metadata: { ...current.metadata, resourceVersion: this.nextRv() } });
    });
    const next = { ...current, status: clone(pool.status), metadata: { ...current.metadata, resourceVersion: this.nextRv() } };
    this.pools.set(pool.metadata.name, next);
    return clone(next);
  }

  async listReservedIPs() {
    return this.reservedIPs.map(clone);
  }

  async getEndpoint(namespace: string, name: string) {
    return clone(this.endpoints.get(`${namespace}/${name}`));
  }

  async replaceEndpoint(ep: SpiderEndpoint): Promise<SpiderEndpoint> {
    const key = `${ep.metadata.namespace}/${ep.metadata.name}`;
    const current = this.endpoints.get(key);
    if (current === undefined) throw Object.assign(new Error('not found'), { code: 404 });
    this.checkWrite(current.metadata.resourceVersion, ep.metadata.resourceVersion, () => {
      this.endpoints.set(key, { ...current, metadata: { ...current.metadata, resourceVersion: this.nextRv() } });
    });
    const next = { ...clone(ep), metadata: { ...ep.metadata, resourceVersion: this.nextRv() } };
    this.endpoints.set(key, next);
    return clone(next);
  }

  private checkWrite(stored: string | undefined, sent: string | undefined, bump: () => void): void {
    if (this.conflictsBeforeWrite > 0) {
      this.conflictsBeforeWrite -= 1;
      bump();
      throw new FakeConflict('conflict');
    }
    if (sent !== stored) throw new FakeConflict('conflict');
    this.writes += 1;
  }
}
