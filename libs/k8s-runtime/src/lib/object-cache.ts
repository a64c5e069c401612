import { formatKey, stringKeyOf, type KubeObject, type ObjectKey } from './object-key.js';

/** Maps an object to the index values it is listed under (e.g. its node name, or one label's value). */
export type IndexFunc<T extends KubeObject> = (obj: T) => readonly string[];

/** Index by the value of one label (objects without the label are not indexed). */
export function labelIndex<T extends KubeObject>(label: string): IndexFunc<T> {
  return (obj) => {
    const value = obj.metadata?.labels?.[label];
    return value === undefined ? [] : [value];
  };
}

/** A read-only view of an informer's cache, handed to reconcilers and mappers. */
export interface CacheReader<T extends KubeObject> {
  get(key: ObjectKey | string): T | undefined;
  list(): T[];
  keys(): string[];
  byIndex(indexName: string, value: string): T[];
}

/** In-memory store keyed by `namespace/name` with incrementally maintained secondary indices. */
export class ObjectCache<T extends KubeObject> implements CacheReader<T> {
  private readonly items = new Map<string, T>();
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly indexers: Readonly<Record<string, IndexFunc<T>>> = {}) {
    for (const name of Object.keys(indexers)) this.indices.set(name, new Map());
  }

  get(key: ObjectKey | string): T | undefined {
    return this.items.get(typeof key === 'string' ? key : formatKey(key));
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  size(): number {
    return this.items.size;
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`unknown index ${indexName}`);
    return [...(index.get(value) ?? [])]
      .map((key) => this.items.get(key))
      .filter((o): o is T => o !== undefined);
  }

  /** Insert or replace; returns the previous object. */
  upsert(obj: T): T | undefined {
    const key = stringKeyOf(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Remove by the object's key; returns the removed (cached) object. */
  remove(obj: T): T | undefined {
    const key = stringKeyOf(obj);
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name);
      if (!index) continue;
      for (const value of fn(obj)) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name);
      if (!index) continue;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}
