import { ObjectCache, type IndexFunc, type KubeObject, type ReconcileContext } from '@spiderpool/k8s-runtime';
import { pino } from 'pino';
import { FakeObjectClient } from './object-client.fake.js';
import type { ResourceKind, WireObject } from './object-client.port.js';

/** A fake API server plus informer-like caches kept in step with it, for reconciler unit tests. */
export class FakeCluster {
  readonly client: FakeObjectClient;
  private readonly caches = new Map<string, ObjectCache<KubeObject>>();

  constructor(now: () => number = () => Date.now()) {
    this.client = new FakeObjectClient(now);
    this.client.onChange((type, kind, obj) => {
      const cache = this.cache(kind);
      if (type === 'DELETED') cache.remove(obj);
      else cache.upsert(obj);
    });
  }

  /** The cache of a kind; `indexers` apply when it is first asked for (ask before seeding objects of the kind). */
  cache<T extends WireObject>(kind: ResourceKind, indexers?: Readonly<Record<string, IndexFunc<T>>>): ObjectCache<T> {
    let cache = this.caches.get(kind.plural);
    if (!cache) this.caches.set(kind.plural, (cache = new ObjectCache<KubeObject>(indexers as unknown as Record<string, IndexFunc<KubeObject>>)));
    return cache as unknown as ObjectCache<T>;
  }
}

export function testContext(): ReconcileContext {
  return { log: pino({ level: 'silent' }), reconcileId: 'test', signal: new AbortController().signal, retries: 0 };
}
