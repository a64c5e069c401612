import type { NetworkAttachmentDefinition } from '@spiderpool/crd-types';
import type { NadManager } from './nad.manager.js';

/** In-memory NadManager with resourceVersion checks (409 like the API server) and a write log. */
export class FakeNadManager implements NadManager {
  readonly store = new Map<string, NetworkAttachmentDefinition>();
  readonly writes: Array<{ verb: 'create' | 'replace'; nad: NetworkAttachmentDefinition }> = [];
  private rv = 100;

  private static key(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  seed(nad: NetworkAttachmentDefinition): void {
    const copy = structuredClone(nad);
    copy.metadata.resourceVersion = String(++this.rv);
    this.store.set(FakeNadManager.key(copy.metadata.namespace ?? '', copy.metadata.name ?? ''), copy);
  }

  async get(namespace: string, name: string): Promise<NetworkAttachmentDefinition | undefined> {
    const found = this.store.get(FakeNadManager.key(namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  async create(nad: NetworkAttachmentDefinition): Promise<NetworkAttachmentDefinition> {
    const key = FakeNadManager.key(nad.metadata.namespace ?? '', nad.metadata.name ?? '');
    if (this.store.has(key)) throw Object.assign(new Error('exists'), { code: 409, body: '{"reason":"AlreadyExists"}' });
    this.writes.push({ verb: 'create', nad: structuredClone(nad) });
    this.seed(nad);
    return this.mustGet(key);
  }

  async replace(nad: NetworkAttachmentDefinition): Promise<NetworkAttachmentDefinition> {
    const key = FakeNadManager.key(nad.metadata.namespace ?? '', nad.metadata.name ?? '');
    const current = this.store.get(key);
    if (!current) throw Object.assign(new Error('not found'), { code: 404 });
    if (current.metadata.resourceVersion !== nad.metadata.resourceVersion) {
      throw Object.assign(new Error('conflict'), { code: 409, body: '{"reason":"Conflict"}' });
    }
    this.writes.push({ verb: 'replace', nad: structuredClone(nad) });
    this.seed(nad);
    return this.mustGet(key);
  }

  private mustGet(key: string): NetworkAttachmentDefinition {
    const found = this.store.get(key);
    if (!found) throw new Error(`fake: ${key} vanished`);
    return structuredClone(found);
  }
}
