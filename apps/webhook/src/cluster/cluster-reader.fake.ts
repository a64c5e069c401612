import type { KubeObject } from '../admission/kind-webhook.js';
import { ClusterReadError } from '../admission/errors.js';
import type { ClusterReader, ReadOptions } from './cluster-reader.port.js';

const matches = (o: KubeObject, sel?: { label: string; value: string }): boolean =>
  sel === undefined || o.metadata?.labels?.[sel.label] === sel.value;

/** In-memory ClusterReader for unit tests; `failWith` makes every call throw ClusterReadError. */
export class FakeClusterReader implements ClusterReader {
  pools: KubeObject[] = [];
  subnets: KubeObject[] = [];
  nads: KubeObject[] = [];
  failWith: string | null = null;

  private check(): void {
    if (this.failWith !== null) throw new ClusterReadError(this.failWith);
  }

  async listIPPools(sel?: { label: string; value: string }): Promise<KubeObject[]> {
    this.poolLists++;
    this.check();
    return structuredClone(this.pools.filter((p) => matches(p, sel)));
  }

  /** The collection resourceVersion `ippoolCollectionVersion` answers (tests bump it as if pools were written). */
  collectionVersion = '1';
  /** Number of collection-version reads (the read barrier's one cheap live call). */
  versionReads = 0;

  async ippoolCollectionVersion(): Promise<string> {
    this.versionReads++;
    this.check();
    return this.collectionVersion;
  }

  /** Names of the pools read one by one (the live re-check of index candidates). */
  readonly poolGets: string[] = [];
  /** Number of full/label pool lists (the path the index avoids). */
  poolLists = 0;

  async getIPPool(name: string): Promise<KubeObject | null> {
    this.poolGets.push(name);
    this.check();
    return structuredClone(this.pools.find((p) => p.metadata?.name === name) ?? null);
  }

  /** Sources of the subnet lists asked for, so tests can check the mutation path reads the cache. */
  readonly subnetReads: ('api' | 'cache')[] = [];

  async listSubnets(sel?: { label: string; value: string }, opts: ReadOptions = {}): Promise<KubeObject[]> {
    this.subnetReads.push(opts.source ?? 'api');
    this.check();
    return structuredClone(this.subnets.filter((p) => matches(p, sel)));
  }

  async getSubnet(name: string): Promise<KubeObject | null> {
    this.check();
    return structuredClone(this.subnets.find((s) => s.metadata?.name === name) ?? null);
  }

  async getNetworkAttachmentDefinition(namespace: string, name: string): Promise<KubeObject | null> {
    this.check();
    return structuredClone(
      this.nads.find((n) => n.metadata?.namespace === namespace && n.metadata?.name === name) ?? null,
    );
  }
}
