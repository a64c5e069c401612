import {
  LABEL_INTERFACE,
  LABEL_IP_VERSION,
  LABEL_OWNER_APPLICATION_GV,
  LABEL_OWNER_APPLICATION_KIND,
  LABEL_OWNER_APPLICATION_NAME,
  LABEL_OWNER_APPLICATION_NAMESPACE,
  LABEL_OWNER_APPLICATION_UID,
  LABEL_OWNER_SPIDER_SUBNET,
} from '@spiderpool/crd-types';
import {
  IPSet,
  InvalidSpecError,
  type IPFamily,
  type SubnetRequest,
  type TopController,
} from '@spiderpool/ipam-core';
import { sleep, systemClock, type Clock } from '@spiderpool/k8s-runtime';
import type { ClusterCache, StoredPool } from '../cluster/cluster.port.js';
import { AutoPoolNotReadyError } from '../errors.js';

const K8S_KINDS = new Set(['Pod', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob']);
const K8S_API_VERSIONS = new Set(['v1', 'apps/v1', 'batch/v1']);

/** `apps/v1` → `apps_v1`; `v1` → `v1` (label value of `owner-application-gv`). */
export const groupVersionLabel = (apiVersion: string): string => apiVersion.replace('/', '_');

export interface AutoPoolWait {
  readonly intervalMs: number;
  readonly maxRetries: number;
}

/**
 * Tier 1 of the pool selection (ipam.md §7.4) on the agent side: the controller creates the auto pool of a k8s
 * workload; the agent finds it in its cache by the owner labels, polling until it appears (and, for a fixed
 * `ippool-ip-number`, until it has that size). Third-party controllers (inline pre-allocation upstream) are not
 * supported and fail with AutoPoolNotReadyError.
 */
export class AutoPoolFinder {
  private readonly clock: Clock;

  constructor(
    private readonly cache: ClusterCache,
    private readonly wait: AutoPoolWait,
    clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  async find(
    top: TopController,
    request: SubnetRequest,
    family: IPFamily,
    subnet: string,
  ): Promise<StoredPool> {
    if (!K8S_API_VERSIONS.has(top.apiVersion) || !K8S_KINDS.has(top.kind)) {
      throw new AutoPoolNotReadyError(
        `auto-created IPPools for third-party controller ${top.apiVersion} ${top.kind} ${top.namespace}/${top.name} are not supported`,
      );
    }
    const want: Record<string, string> = {
      [LABEL_OWNER_SPIDER_SUBNET]: subnet,
      [LABEL_OWNER_APPLICATION_GV]: groupVersionLabel(top.apiVersion),
      [LABEL_OWNER_APPLICATION_KIND]: top.kind,
      [LABEL_OWNER_APPLICATION_NAMESPACE]: top.namespace,
      [LABEL_OWNER_APPLICATION_NAME]: top.name,
      [LABEL_OWNER_APPLICATION_UID]: top.uid,
      [LABEL_INTERFACE]: request.nic,
      [LABEL_IP_VERSION]: family === 4 ? 'IPv4' : 'IPv6',
    };
    let found: StoredPool | undefined;
    for (let attempt = 1; attempt <= this.wait.maxRetries; attempt++) {
      const matches = this.cache
        .pools()
        .filter((p) => Object.entries(want).every(([k, v]) => p.metadata.labels?.[k] === v));
      if (matches.length > 1) {
        throw new InvalidSpecError(
          `found ${matches.length} auto-created IPPools for ${top.kind} ${top.namespace}/${top.name} NIC ${request.nic} IPv${family}`,
          [],
        );
      }
      found = matches[0];
      if (found !== undefined && this.sizeOk(found, family, request)) return found;
      if (attempt < this.wait.maxRetries) await sleep(this.clock, this.wait.intervalMs);
    }
    if (found !== undefined) return found;
    throw new AutoPoolNotReadyError(
      `no matching auto-created IPPool candidate with subnet ${subnet} for ${top.kind} ${top.namespace}/${top.name} NIC ${request.nic} IPv${family}`,
    );
  }

  /** Only a fixed `ippool-ip-number` is checked; flexible sizes need the replica count (the controller owns that). */
  private sizeOk(pool: StoredPool, family: IPFamily, request: SubnetRequest): boolean {
    if (request.ipNumber === undefined || request.ipNumber.flexible) return true;
    try {
      const size = IPSet.fromRanges(family, pool.spec.ips ?? []).subtract(
        IPSet.fromRanges(family, pool.spec.excludeIPs ?? []),
      ).size;
      return size === BigInt(request.ipNumber.count);
    } catch {
      return true;
    }
  }
}
