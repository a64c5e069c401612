import type {
  SpiderCoordinator,
  SpiderEndpoint,
  SpiderIPPool,
  SpiderReservedIP,
  SpiderSubnet,
} from '@spiderpool/crd-types';
import type { EndpointApi } from '../endpoint/endpoint-api.port.js';
import type { IPPoolApi } from '../ippool/ippool-api.port.js';
import type { PodEvent, PodEventPort } from '../ipam/pod-event.port.js';
import type {
  ClusterApi,
  ClusterCache,
  LabelledView,
  OwnerView,
  PodView,
  StoredPool,
} from './cluster.port.js';

const apiError = (code: number, reason: string, message: string): Error =>
  Object.assign(new Error(message), {
    code,
    body: JSON.stringify({ kind: 'Status', code, reason, message }),
  });

const clone = <T>(v: T): T => structuredClone(v);

/**
 * An in-memory API server for unit tests: one store serves both the "cache" and the "live" ports, objects carry
 * a resourceVersion that every write bumps, and stale writes get a 409 like the real server. Failures and
 * interleavings are injected with `beforePoolWrite`.
 */
export class FakeCluster implements ClusterCache, ClusterApi, IPPoolApi, PodEventPort {
  private rv = 1;
  readonly podsByKey = new Map<string, PodView>();
  readonly namespaces = new Map<string, LabelledView>();
  readonly nodes = new Map<string, LabelledView>();
  readonly poolsByName = new Map<string, StoredPool>();
  readonly subnetsByName = new Map<string, SpiderSubnet>();
  readonly reserved = new Map<string, SpiderReservedIP>();
  readonly endpoints = new Map<string, SpiderEndpoint>();
  readonly owners = new Map<string, OwnerView>();
  readonly coordinators = new Map<string, SpiderCoordinator>();
  readonly events: Array<{ pod: string; event: PodEvent }> = [];
  isSynced = true;
  poolReads = 0;
  poolWrites = 0;
  poolConflicts = 0;
  /** Called before each pool status write; may mutate the store (a racing writer) or throw. */
  beforePoolWrite: ((pool: SpiderIPPool) => void) | undefined;
  /** Fail the next endpoint writes with this error. */
  endpointWriteError: Error | undefined;

  private nextRV(): string {
    return String(++this.rv);
  }

  addPod(pod: PodView): void {
    this.podsByKey.set(`${pod.metadata.namespace}/${pod.metadata.name}`, clone(pod));
  }

  addPool(pool: SpiderIPPool): void {
    const name = pool.metadata.name as string;
    this.poolsByName.set(name, {
      ...clone(pool),
      metadata: { ...clone(pool.metadata), name, resourceVersion: this.nextRV() },
    });
  }

  setOwner(apiVersion: string, kind: string, namespace: string, owner: OwnerView): void {
    this.owners.set(`${apiVersion}/${kind}/${namespace}/${owner.metadata.name}`, clone(owner));
  }

  /** Mutates a stored pool like another writer would (bumps its resourceVersion). */
  touchPool(name: string, mutate: (pool: SpiderIPPool) => void = () => undefined): void {
    const pool = this.poolsByName.get(name);
    if (pool === undefined) throw new Error(`no pool ${name}`);
    mutate(pool);
    pool.metadata.resourceVersion = this.nextRV();
  }

  // ---- ClusterCache ----
  synced(): boolean {
    return this.isSynced;
  }
  pod(namespace: string, name: string): PodView | undefined {
    const p = this.podsByKey.get(`${namespace}/${name}`);
    return p === undefined ? undefined : clone(p);
  }
  namespace(name: string): LabelledView | undefined {
    return this.namespaces.get(name);
  }
  node(name: string): LabelledView | undefined {
    return this.nodes.get(name);
  }
  pools(): readonly StoredPool[] {
    return [...this.poolsByName.values()].map(clone);
  }
  pool(name: string): StoredPool | undefined {
    const p = this.poolsByName.get(name);
    return p === undefined ? undefined : clone(p);
  }
  subnets(): readonly SpiderSubnet[] {
    return [...this.subnetsByName.values()];
  }
  reservedIPs(): readonly SpiderReservedIP[] {
    return [...this.reserved.values()];
  }
  coordinator(name: string): SpiderCoordinator | undefined {
    const c = this.coordinators.get(name);
    return c === undefined ? undefined : clone(c);
  }
  endpoint(namespace: string, name: string): SpiderEndpoint | undefined {
    const e = this.endpoints.get(`${namespace}/${name}`);
    return e === undefined ? undefined : clone(e);
  }

  // ---- ClusterApi ----
  async readPod(namespace: string, name: string): Promise<PodView | undefined> {
    return this.pod(namespace, name);
  }
  async readOwner(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): Promise<OwnerView | undefined> {
    const o = this.owners.get(`${apiVersion}/${kind}/${namespace}/${name}`);
    return o === undefined ? undefined : clone(o);
  }

  // ---- IPPoolApi ----
  async read(name: string): Promise<StoredPool> {
    await Promise.resolve();
    this.poolReads++;
    const p = this.poolsByName.get(name);
    if (p === undefined) throw apiError(404, 'NotFound', `spiderippools ${name} not found`);
    return clone(p);
  }
  async writeStatus(pool: SpiderIPPool): Promise<StoredPool> {
    await Promise.resolve();
    this.beforePoolWrite?.(pool);
    const name = pool.metadata.name as string;
    const stored = this.poolsByName.get(name);
    if (stored === undefined) throw apiError(404, 'NotFound', `spiderippools ${name} not found`);
    if (stored.metadata.resourceVersion !== pool.metadata.resourceVersion) {
      this.poolConflicts++;
      throw apiError(
        409,
        'Conflict',
        `the object has been modified; please apply your changes to the latest version`,
      );
    }
    this.poolWrites++;
    const next: StoredPool = {
      ...clone(stored),
      metadata: { ...stored.metadata, resourceVersion: this.nextRV() },
    };
    if (pool.status === undefined) delete next.status;
    else next.status = clone(pool.status);
    this.poolsByName.set(name, next);
    return clone(next);
  }

  // ---- EndpointApi ----
  /** The SpiderEndpoint port (a separate object: its `read` has another signature than the pool port's). */
  readonly endpointApi: EndpointApi = {
    read: async (namespace, name) => this.endpoint(namespace, name),
    create: async (ep) => this.createEndpoint(ep),
    replace: async (ep) => this.replaceEndpoint(ep),
    delete: async (namespace, name) => this.deleteEndpoint(namespace, name),
  };

  private takeEndpointError(): void {
    const err = this.endpointWriteError;
    if (err !== undefined) throw err;
  }

  private createEndpoint(ep: SpiderEndpoint): SpiderEndpoint {
    this.takeEndpointError();
    const key = `${ep.metadata.namespace}/${ep.metadata.name}`;
    if (this.endpoints.has(key))
      throw apiError(409, 'AlreadyExists', `spiderendpoints ${key} already exists`);
    const stored = { ...clone(ep), metadata: { ...clone(ep.metadata), resourceVersion: this.nextRV() } };
    this.endpoints.set(key, stored);
    return clone(stored);
  }

  private replaceEndpoint(ep: SpiderEndpoint): SpiderEndpoint {
    this.takeEndpointError();
    const key = `${ep.metadata.namespace}/${ep.metadata.name}`;
    const stored = this.endpoints.get(key);
    if (stored === undefined) throw apiError(404, 'NotFound', `spiderendpoints ${key} not found`);
    if (stored.metadata.resourceVersion !== ep.metadata.resourceVersion)
      throw apiError(409, 'Conflict', 'modified');
    const next = { ...clone(ep), metadata: { ...clone(ep.metadata), resourceVersion: this.nextRV() } };
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0) {
      this.endpoints.delete(key);
      return next;
    }
    this.endpoints.set(key, next);
    return clone(next);
  }

  private deleteEndpoint(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const stored = this.endpoints.get(key);
    if (stored === undefined) return;
    if ((stored.metadata.finalizers ?? []).length > 0) {
      stored.metadata.deletionTimestamp ??= new Date(0).toISOString();
      stored.metadata.resourceVersion = this.nextRV();
    } else this.endpoints.delete(key);
  }

  // ---- PodEventPort ----
  async record(pod: PodView, event: PodEvent): Promise<void> {
    this.events.push({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, event });
  }

  /** Pool status as a map ip → podUid. */
  allocated(poolName: string): Map<string, string> {
    const text = this.poolsByName.get(poolName)?.status?.allocatedIPs;
    const raw = text ? (JSON.parse(text) as Record<string, { podUid: string }>) : {};
    return new Map(Object.entries(raw).map(([ip, r]) => [ip, r.podUid]));
  }
}
