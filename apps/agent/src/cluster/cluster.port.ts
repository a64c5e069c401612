import type {
  SpiderCoordinator,
  SpiderEndpoint,
  SpiderIPPool,
  SpiderReservedIP,
  SpiderSubnet,
} from '@spiderpool/crd-types';

type Labels = Record<string, string>;

/** A stored object always has a name (the only narrowing of the crd-types metadata). */
export type Stored<T extends { metadata: { name?: string | undefined } }> = T & {
  metadata: { name: string };
};
export type StoredPool = Stored<SpiderIPPool>;

export interface OwnerReferenceView {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
}

/** The Pod fields the agent reads (wire form from the cache, or a live GET). */
export interface PodView {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly uid: string;
    readonly labels?: Labels;
    readonly annotations?: Labels;
    readonly ownerReferences?: readonly OwnerReferenceView[];
    readonly deletionTimestamp?: string | Date | null;
    readonly deletionGracePeriodSeconds?: number | null;
  };
  readonly spec?: { readonly nodeName?: string; readonly restartPolicy?: string };
  readonly status?: { readonly phase?: string; readonly reason?: string };
}

export interface LabelledView {
  readonly metadata: { readonly name: string; readonly labels?: Labels; readonly annotations?: Labels };
}

/**
 * A workload owner (ReplicaSet, Job, StatefulSet; KubeVirt VirtualMachineInstance, VirtualMachine,
 * VirtualMachineInstanceMigration) as far as top-controller resolution and §8 validity need it.
 */
export interface OwnerView {
  readonly metadata: {
    readonly name: string;
    readonly uid: string;
    readonly ownerReferences?: readonly OwnerReferenceView[];
    readonly deletionTimestamp?: string | Date | null;
  };
  readonly spec?: { readonly replicas?: number; readonly ordinals?: { readonly start?: number } };
}

/**
 * Reads from the agent's informer caches (house style §3: reads from the cache, writes live). The real
 * implementation is `kube/agent-informers.ts`; unit tests use `cluster/cluster.fake.ts`.
 */
export interface ClusterCache {
  synced(): boolean;
  pod(namespace: string, name: string): PodView | undefined;
  namespace(name: string): LabelledView | undefined;
  node(name: string): LabelledView | undefined;
  pools(): readonly StoredPool[];
  pool(name: string): StoredPool | undefined;
  subnets(): readonly SpiderSubnet[];
  reservedIPs(): readonly SpiderReservedIP[];
  endpoint(namespace: string, name: string): SpiderEndpoint | undefined;
  coordinator(name: string): SpiderCoordinator | undefined;
}

/** Live reads of non-Spider kinds. */
export interface ClusterApi {
  readPod(namespace: string, name: string): Promise<PodView | undefined>;
  /**
   * `ReplicaSet` / `Job` / `StatefulSet` of `apps/v1` or `batch/v1`, or `VirtualMachineInstance` /
   * `VirtualMachine` / `VirtualMachineInstanceMigration` of `kubevirt.io/v1`; undefined when not found.
   */
  readOwner(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): Promise<OwnerView | undefined>;
}

export const CLUSTER_CACHE = Symbol('CLUSTER_CACHE');
export const CLUSTER_API = Symbol('CLUSTER_API');
