import {
  API_GROUP_VERSION,
  FINALIZER,
  type IPAllocationDetail,
  type SpiderEndpoint,
} from '@spiderpool/crd-types';
import { isAlreadyExists, isConflict, isNotFound } from '@spiderpool/k8s-runtime';
import { ResourceVersionConflictError } from '@spiderpool/ipam-core';
import type { ClusterCache, PodView } from '../cluster/cluster.port.js';
import type { EndpointApi } from './endpoint-api.port.js';

export interface TopControllerRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface RecordAllocationInput {
  readonly pod: PodView;
  readonly top: TopControllerRef;
  /** Endpoint name: the pod name (KubeVirt static IP would use the VMI name). */
  readonly name: string;
  /** Stateless pods: the endpoint is owned by the Pod and goes with it. StatefulSet endpoints outlive the pod. */
  readonly ownedByPod: boolean;
  readonly entries: readonly IPAllocationDetail[];
}

type Write = { create: SpiderEndpoint } | { replace: SpiderEndpoint } | { done: SpiderEndpoint | undefined };

const ATTEMPTS = 5;

/** The NIC entries of an endpoint, or [] when it has none. */
export const endpointIPs = (ep: SpiderEndpoint | undefined): IPAllocationDetail[] =>
  ep?.status?.current.ips ?? [];

/**
 * Typed SpiderEndpoint reads (cache) and writes (live, resourceVersion-guarded, retried on Conflict and
 * AlreadyExists). SpiderEndpoint has no status subresource, so status is written with plain create/update.
 */
export class EndpointManager {
  constructor(
    private readonly cache: ClusterCache,
    private readonly api: EndpointApi,
  ) {}

  cached(namespace: string, name: string): SpiderEndpoint | undefined {
    return this.cache.endpoint(namespace, name);
  }

  live(namespace: string, name: string): Promise<SpiderEndpoint | undefined> {
    return this.api.read(namespace, name);
  }

  /**
   * Creates the endpoint (finalizer; Pod ownerReference for stateless pods) or appends the NICs it lacks; existing
   * NIC entries are never overwritten (ipam.md §4.7). Returns every NIC entry the endpoint holds afterwards.
   */
  async record(input: RecordAllocationInput): Promise<IPAllocationDetail[]> {
    const { pod, top } = input;
    const ns = pod.metadata.namespace;
    // The cache decides the first attempt (create without a GET); AlreadyExists/Conflict fall back to live reads.
    const hint = { current: this.cache.endpoint(ns, input.name) };
    const ep = await this.write(ns, input.name, hint, (current) => {
      if (current === undefined || current.metadata.deletionTimestamp) {
        if (current !== undefined) return { done: undefined };
        return {
          create: {
            apiVersion: API_GROUP_VERSION,
            kind: 'SpiderEndpoint',
            metadata: {
              name: input.name,
              namespace: ns,
              finalizers: [FINALIZER],
              ...(input.ownedByPod
                ? {
                    ownerReferences: [
                      { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, uid: pod.metadata.uid },
                    ],
                  }
                : {}),
            },
            status: {
              current: { uid: pod.metadata.uid, node: pod.spec?.nodeName ?? '', ips: [...input.entries] },
              ownerControllerType: top.kind,
              ownerControllerName: top.name,
            },
          },
        };
      }
      const status = current.status;
      if (status === undefined || status.current.uid !== pod.metadata.uid) return { done: current };
      const have = new Set(status.current.ips.map((e) => e.interface));
      const missing = input.entries.filter((e) => !have.has(e.interface) || e.interface === '');
      if (missing.length === 0) return { done: current };
      return {
        replace: {
          ...current,
          status: { ...status, current: { ...status.current, ips: [...status.current.ips, ...missing] } },
        },
      };
    });
    // A terminating endpoint or one of another pod incarnation is left alone (upstream: success, nothing written).
    if (ep === undefined || ep.status?.current.uid !== pod.metadata.uid) return [...input.entries];
    return endpointIPs(ep);
  }

  /**
   * Re-owns an endpoint to a new pod incarnation (StatefulSet static IP) and/or names its first unnamed entry
   * (`ippools` no-name mode). Returns the endpoint's entries afterwards.
   */
  async refresh(
    namespace: string,
    name: string,
    change: { readonly uid: string; readonly node: string; readonly claimNic?: string },
  ): Promise<IPAllocationDetail[]> {
    const ep = await this.write(namespace, name, undefined, (current) => {
      const status = current?.status;
      if (current === undefined || status === undefined) return { done: current };
      let ips = status.current.ips;
      if (change.claimNic !== undefined && !ips.some((e) => e.interface === change.claimNic)) {
        const i = ips.findIndex((e) => e.interface === '');
        if (i >= 0) ips = ips.map((e, j) => (j === i ? { ...e, interface: change.claimNic as string } : e));
      }
      if (
        ips === status.current.ips &&
        status.current.uid === change.uid &&
        status.current.node === change.node
      ) {
        return { done: current };
      }
      return {
        replace: { ...current, status: { ...status, current: { uid: change.uid, node: change.node, ips } } },
      };
    });
    return endpointIPs(ep);
  }

  /** Keeps only the given NIC entries (StatefulSet outdated-pool release, ipam.md §8.1). */
  async keepEntries(
    namespace: string,
    name: string,
    keep: (e: IPAllocationDetail) => boolean,
  ): Promise<void> {
    await this.write(namespace, name, undefined, (current) => {
      const status = current?.status;
      if (current === undefined || status === undefined) return { done: current };
      const ips = status.current.ips.filter(keep);
      if (ips.length === status.current.ips.length) return { done: current };
      return { replace: { ...current, status: { ...status, current: { ...status.current, ips } } } };
    });
  }

  /** Batch release: empties the endpoint's IP list when it belongs to `uid`; returns the entries it had. */
  async clearIPs(
    namespace: string,
    name: string,
    uid: string,
  ): Promise<IPAllocationDetail[] | 'uid-mismatch' | 'not-found'> {
    let previous: IPAllocationDetail[] = [];
    let verdict: 'ok' | 'uid-mismatch' | 'not-found' = 'ok';
    await this.write(namespace, name, undefined, (current) => {
      const status = current?.status;
      if (current === undefined || status === undefined) {
        verdict = 'not-found';
        return { done: current };
      }
      if (status.current.uid !== uid) {
        verdict = 'uid-mismatch';
        return { done: current };
      }
      verdict = 'ok';
      previous = status.current.ips;
      if (previous.length === 0) return { done: current };
      return { replace: { ...current, status: { ...status, current: { ...status.current, ips: [] } } } };
    });
    return verdict === 'ok' ? previous : verdict;
  }

  /**
   * Removes our finalizer and (optionally) deletes the endpoint (ipam.md §5.2 step 12). `known` is a state just
   * read live; it spares the first GET.
   */
  async retire(
    namespace: string,
    name: string,
    options: { readonly delete: boolean; readonly known?: SpiderEndpoint | undefined },
  ): Promise<void> {
    await this.write(
      namespace,
      name,
      options.known === undefined ? undefined : { current: options.known },
      (current) => {
        if (current === undefined || !(current.metadata.finalizers ?? []).includes(FINALIZER))
          return { done: current };
        return {
          replace: {
            ...current,
            metadata: {
              ...current.metadata,
              finalizers: (current.metadata.finalizers ?? []).filter((f) => f !== FINALIZER),
            },
          },
        };
      },
    );
    if (options.delete) await this.api.delete(namespace, name);
  }

  /** Read-decide-write with retries; `first` (when given) replaces the first attempt's live read. */
  private async write(
    namespace: string,
    name: string,
    first: { readonly current: SpiderEndpoint | undefined } | undefined,
    decide: (current: SpiderEndpoint | undefined) => Write,
  ): Promise<SpiderEndpoint | undefined> {
    let last: unknown;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const current =
        attempt === 1 && first !== undefined ? first.current : await this.api.read(namespace, name);
      const next = decide(current);
      try {
        if ('done' in next) return next.done;
        if ('create' in next) return await this.api.create(next.create);
        return await this.api.replace(next.replace);
      } catch (err) {
        if (!isConflict(err) && !isAlreadyExists(err) && !isNotFound(err)) throw err;
        last = err;
      }
    }
    throw new ResourceVersionConflictError(
      `exhaust all retries (${ATTEMPTS} times), failed to update SpiderEndpoint ${namespace}/${name}`,
      ATTEMPTS,
      { cause: last },
    );
  }
}

export const ENDPOINT_MANAGER = Symbol('ENDPOINT_MANAGER');
