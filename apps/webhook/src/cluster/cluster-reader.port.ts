import type { KubeObject } from '../admission/kind-webhook.js';

/**
 * Cluster state the rules need (HOUSE-STYLE §11). Reads are consistent reads against the API server
 * (crds.md §1.5: validating webhooks use the uncached reader) unless `source: 'cache'` is asked for. Failures throw ClusterReadError;
 * "not found" is `null`, never an error.
 */
export interface ReadOptions {
  /**
   * `api` (default): a consistent read. `cache`: any version the API server's watch cache holds
   * (`resourceVersion=0`), the equivalent of upstream's cached client used by the IPP-M5 mutation lookup;
   * it avoids waiting for the watch cache to catch up with unrelated writes.
   */
  source?: 'api' | 'cache';
}

export interface LabelSelectorTerm {
  label: string;
  value: string;
}

export interface ClusterReader {
  listIPPools(selector?: LabelSelectorTerm): Promise<KubeObject[]>;
  /**
   * The SpiderIPPool collection's current resourceVersion from a consistent read (a `limit=1` list: one item on the
   * wire). Every pool whose create has returned is at or below it — the target of the pool index's read barrier.
   */
  ippoolCollectionVersion(): Promise<string>;
  /** A consistent GET of one pool (the live re-check of an index candidate); `null` when it is gone. */
  getIPPool(name: string): Promise<KubeObject | null>;
  listSubnets(selector?: LabelSelectorTerm, opts?: ReadOptions): Promise<KubeObject[]>;
  getSubnet(name: string): Promise<KubeObject | null>;
  getNetworkAttachmentDefinition(namespace: string, name: string): Promise<KubeObject | null>;
}

export const CLUSTER_READER = Symbol('CLUSTER_READER');
