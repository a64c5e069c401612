import { ApiException } from '@kubernetes/client-node';
import type { ObjectClient, ObjectName, ResourceKind, WireObject } from './object-client.port.js';

const statusError = (code: number, reason: string, message = reason): ApiException<string> =>
  new ApiException(code, message, JSON.stringify({ kind: 'Status', code, reason, message }), {});

/** Kinds whose `status` is a subresource (a main-resource PUT keeps the stored status). */
const STATUS_SUBRESOURCE = new Set(['SpiderIPPool', 'SpiderSubnet', 'Pod', 'Node', 'Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob']);

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Parses `k=v,k2=v2` (equality selectors only). */
function matches(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return (labels ?? {})[k ?? ''] === v;
  });
}

/**
 * In-memory API server for unit tests: resourceVersion checks (409 Conflict), AlreadyExists, finalizer-aware
 * deletion (a delete sets `deletionTimestamp`; the object goes when its last finalizer is removed), status
 * subresource separation, and hooks to inject failures or observe every change.
 */
export class FakeObjectClient implements ObjectClient {
  private readonly store = new Map<string, WireObject>();
  private rv = 0;
  private uid = 0;
  readonly writes: Array<{ verb: string; kind: string; name: string }> = [];
  /** Called before every write; throw from it to inject a failure. */
  beforeWrite: ((verb: string, kind: ResourceKind, obj: ObjectName) => void) | undefined;
  private readonly listeners: Array<(type: ChangeType, kind: ResourceKind, obj: WireObject) => void> = [];

  constructor(private readonly now: () => number = () => Date.now()) {}

  onChange(listener: (type: ChangeType, kind: ResourceKind, obj: WireObject) => void): void {
    this.listeners.push(listener);
  }

  /** Seed an object directly (assigns uid/resourceVersion when missing), notifying listeners. */
  seed<T extends WireObject>(kind: ResourceKind, obj: T): T {
    const stored = structuredClone(obj) as WireObject;
    stored.apiVersion ??= kind.apiVersion;
    stored.kind ??= kind.kind;
    stored.metadata.uid ??= `uid-${++this.uid}`;
    stored.metadata.resourceVersion = String(++this.rv);
    const key = this.key(kind, stored.metadata);
    const existed = this.store.has(key);
    this.store.set(key, stored);
    this.emit(existed ? 'MODIFIED' : 'ADDED', kind, stored);
    return structuredClone(stored) as T;
  }

  peek<T extends WireObject>(kind: ResourceKind, name: ObjectName): T | undefined {
    const obj = this.store.get(this.key(kind, name));
    return obj === undefined ? undefined : (structuredClone(obj) as T);
  }

  all<T extends WireObject>(kind: ResourceKind): T[] {
    const prefix = `${kind.plural}|`;
    return [...this.store.entries()].filter(([k]) => k.startsWith(prefix)).map(([, o]) => structuredClone(o) as T);
  }

  async get<T extends WireObject>(kind: ResourceKind, name: ObjectName): Promise<T | undefined> {
    return this.peek<T>(kind, name);
  }

  async list<T extends WireObject>(kind: ResourceKind, options: { namespace?: string; labelSelector?: string } = {}): Promise<T[]> {
    return this.all<T>(kind).filter(
      (o) => (options.namespace === undefined || o.metadata.namespace === options.namespace) && matches(o.metadata.labels, options.labelSelector),
    );
  }

  async create<T extends WireObject>(kind: ResourceKind, obj: T): Promise<T> {
    this.hook('create', kind, obj.metadata as ObjectName);
    if (this.store.has(this.key(kind, obj.metadata as ObjectName))) throw statusError(409, 'AlreadyExists');
    const copy = structuredClone(obj);
    delete copy.metadata.resourceVersion;
    delete copy.metadata.uid;
    copy.metadata.creationTimestamp = new Date(this.now()).toISOString();
    return this.seed(kind, copy);
  }

  async replace<T extends WireObject>(kind: ResourceKind, obj: T): Promise<T> {
    const current = this.check('replace', kind, obj);
    const next = structuredClone(obj) as WireObject;
    if (STATUS_SUBRESOURCE.has(kind.kind)) {
      if (current['status'] === undefined) delete next['status'];
      else next['status'] = current['status'];
    }
    next.metadata.uid = current.metadata.uid;
    next.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    if (current.metadata.deletionTimestamp && (next.metadata.finalizers?.length ?? 0) === 0) {
      this.store.delete(this.key(kind, current.metadata as ObjectName));
      this.emit('DELETED', kind, next);
      return structuredClone(next) as T;
    }
    return this.seed(kind, next as T);
  }

  async replaceStatus<T extends WireObject>(kind: ResourceKind, obj: T): Promise<T> {
    const current = this.check('replaceStatus', kind, obj);
    const next = structuredClone(current);
    if (obj['status'] === undefined) delete next['status'];
    else next['status'] = structuredClone(obj['status']);
    return this.seed(kind, next as T);
  }

  async delete(kind: ResourceKind, name: ObjectName, options: { uid?: string } = {}): Promise<void> {
    this.hook('delete', kind, name);
    const key = this.key(kind, name);
    const current = this.store.get(key);
    if (current === undefined) return;
    if (options.uid !== undefined && options.uid !== current.metadata.uid) throw statusError(409, 'Conflict', 'uid precondition failed');
    if ((current.metadata.finalizers?.length ?? 0) > 0) {
      if (current.metadata.deletionTimestamp) return;
      const next = structuredClone(current);
      next.metadata.deletionTimestamp = new Date(this.now()).toISOString();
      this.seed(kind, next);
      return;
    }
    this.store.delete(key);
    this.emit('DELETED', kind, current);
  }

  private check(verb: string, kind: ResourceKind, obj: WireObject): WireObject {
    this.hook(verb, kind, obj.metadata as ObjectName);
    const current = this.store.get(this.key(kind, obj.metadata as ObjectName));
    if (current === undefined) throw statusError(404, 'NotFound');
    if (obj.metadata.resourceVersion !== undefined && obj.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw statusError(409, 'Conflict', 'the object has been modified');
    }
    return current;
  }

  private hook(verb: string, kind: ResourceKind, name: ObjectName): void {
    this.writes.push({ verb, kind: kind.kind, name: name.name });
    this.beforeWrite?.(verb, kind, name);
  }

  private emit(type: ChangeType, kind: ResourceKind, obj: WireObject): void {
    for (const l of this.listeners) l(type, kind, structuredClone(obj));
  }

  private key(kind: ResourceKind, name: { namespace?: string | undefined; name?: string | undefined }): string {
    return `${kind.plural}|${kind.namespaced ? (name.namespace ?? '') : ''}/${name.name ?? ''}`;
  }
}

export const conflictError = (): ApiException<string> => statusError(409, 'Conflict', 'the object has been modified');
