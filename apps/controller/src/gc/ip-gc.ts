import { FINALIZER } from '@spiderpool/crd-types';
import {
  decideRecordGc,
  parseAllocatedIPs,
  traceDeadlineMs,
  type GcConfig,
  type GcDecision,
  type GcEndpoint,
  type GcNodeState,
  type GcPod,
  type IPAllocationRecord,
  type StaticKind,
} from '@spiderpool/ipam-core';
import {
  LOG_FIELDS,
  retryOnConflict,

  systemClock,
  type CacheReader,
  type Clock,
  type Informer,
  type Runnable,
  type Timer,
} from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import type { ObjectClient } from '../api-client/object-client.port.js';
import { KINDS } from '../api-client/resource-kinds.js';
import type { IPPoolManager } from '../ippool/ippool.manager.js';
import type { EndpointObject, PoolObject } from '../ippool/ippool.types.js';
import type { ControllerMetrics } from '../metrics/controller.metrics.js';
import type { NodeObject, PodObject } from './gc.types.js';
import type { StaticValidity } from './static-validity.js';

export interface IpGcOptions extends GcConfig {
  readonly enableStatefulSet: boolean;
  readonly enableKubevirtStaticIP: boolean;
  readonly scanIntervalMs: number;
  readonly traceIntervalMs: number;
  /** Minimum time between a cached "collect" verdict and the live re-check that releases (race guard). */
  readonly confirmDelayMs: number;
  readonly maxTraceEntries: number;
  readonly maxRetries: number;
}

export interface IpGcCaches {
  readonly pools: CacheReader<PoolObject>;
  readonly endpoints: CacheReader<EndpointObject>;
  readonly pods: CacheReader<PodObject>;
  readonly nodes: CacheReader<NodeObject>;
}

interface TraceEntry {
  /** `namespace/name` of the pod (the record's `pod` key). */
  readonly podKey: string;
  dueMs: number;
  attempts: number;
}

export interface ScanSummary {
  readonly records: number;
  readonly suspects: number;
}

/** What a pod looks like to the pure decision. */
export function gcPodOf(pod: PodObject, options: Pick<IpGcOptions, 'enableStatefulSet' | 'enableKubevirtStaticIP'>): GcPod {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  let staticKind: StaticKind | undefined;
  if (owner?.kind === 'StatefulSet' && owner.apiVersion === 'apps/v1' && options.enableStatefulSet) staticKind = 'StatefulSet';
  if (owner?.kind === 'VirtualMachineInstance' && options.enableKubevirtStaticIP) staticKind = 'KubeVirt';
  const ts = pod.metadata.deletionTimestamp;
  return {
    uid: pod.metadata.uid ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ...(ts ? { deletionTimestampMs: new Date(ts).getTime() } : {}),
    ...(pod.metadata.deletionGracePeriodSeconds != null ? { deletionGracePeriodSeconds: pod.metadata.deletionGracePeriodSeconds } : {}),
    podIPs: (pod.status?.podIPs ?? []).map((p) => p.ip),
    ...(staticKind ? { staticKind } : {}),
  };
}

function endpointStaticKind(ep: EndpointObject | undefined, options: Pick<IpGcOptions, 'enableStatefulSet' | 'enableKubevirtStaticIP'>): StaticKind | undefined {
  const type = ep?.status?.ownerControllerType;
  if (type === 'StatefulSet' && options.enableStatefulSet) return 'StatefulSet';
  if (type === 'VirtualMachineInstance' && options.enableKubevirtStaticIP) return 'KubeVirt';
  return undefined;
}

function nodeState(node: NodeObject | undefined): GcNodeState {
  if (node === undefined) return 'missing';
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'ready' : 'notReady';
}

const splitKey = (key: string): { namespace: string; name: string } => {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
};

/**
 * IP garbage collection (ipam.md §9), leader-gated. Two sources feed one trace table:
 * - the pod informer (deleted / terminating / completed pods, due after their grace + delay);
 * - the periodic scan of every pool record, judged on cached state by ipam-core's `decideRecordGc`; a record that
 *   looks collectable is not released by the scan but traced with `confirmDelayMs`.
 * A due trace entry is released only after a live re-read of the pod, its SpiderEndpoint, its node and its static
 * owner and the same pure decision on that fresh state; the pool write itself is conditional on the record's
 * podUid (`IPPoolManager.release`), so a pod that re-acquired the IP in between is never hurt.
 */
export class IpGc implements Runnable {
  readonly name = 'ip-gc';
  private readonly clock: Clock;
  private readonly trace = new Map<string, TraceEntry>();
  private timers: Timer[] = [];
  private unsubscribe: (() => void) | undefined;
  private running = false;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly caches: IpGcCaches,
    private readonly podInformer: Informer<PodObject> | undefined,
    private readonly client: ObjectClient,
    private readonly pools: IPPoolManager,
    private readonly validity: StaticValidity,
    private readonly options: IpGcOptions,
    private readonly log: Logger,
    private readonly metrics?: ControllerMetrics,
    clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
  }

  /** Entries waiting for their deadline (for tests and readiness). */
  traced(): ReadonlyMap<string, { dueMs: number }> {
    return this.trace;
  }

  async start(): Promise<void> {
    if (this.running || !this.options.enabled) return;
    this.running = true;
    this.unsubscribe = this.podInformer?.on({
      update: (oldPod, pod) => this.onPodUpdate(oldPod, pod),
      delete: (pod) => this.onPodDeleted(pod),
    });
    await this.podInformer?.waitForSync();
    this.schedule(() => this.scanAll(), 0, this.options.scanIntervalMs);
    this.schedule(() => this.processDue(), this.options.traceIntervalMs, this.options.traceIntervalMs);
    this.log.info('ip gc started');
  }

  async stop(_options: { drain: boolean }): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    for (const t of this.timers.splice(0)) t.cancel();
    await this.busy.catch(() => undefined);
    this.trace.clear();
    this.log.info('ip gc stopped');
  }

  private schedule(task: () => Promise<unknown>, firstMs: number, everyMs: number): void {
    const tick = (): void => {
      if (!this.running) return;
      this.busy = this.busy.then(task).catch((err: unknown) => this.log.warn({ [LOG_FIELDS.err]: err }, 'ip gc pass failed'));
      void this.busy.finally(() => {
        if (this.running) this.timers.push(this.clock.setTimer(tick, everyMs));
      });
    };
    this.timers.push(this.clock.setTimer(tick, firstMs));
  }

  private addTrace(podKey: string, dueMs: number): void {
    const existing = this.trace.get(podKey);
    if (existing) {
      existing.dueMs = Math.min(existing.dueMs, dueMs);
      return;
    }
    if (this.trace.size >= this.options.maxTraceEntries) {
      this.log.warn({ pod: podKey }, 'gc trace table full, entry dropped (the next scan finds it again)');
      return;
    }
    this.trace.set(podKey, { podKey, dueMs, attempts: 0 });
  }

  private onPodDeleted(pod: PodObject): void {
    if (pod.spec?.hostNetwork) return;
    this.addTrace(`${pod.metadata.namespace}/${pod.metadata.name}`, traceDeadlineMs({ kind: 'deleted', nowMs: this.clock.now() }, this.options));
  }

  private onPodUpdate(oldPod: PodObject, pod: PodObject): void {
    if (pod.spec?.hostNetwork) return;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const ts = pod.metadata.deletionTimestamp;
    if (ts && (!oldPod.metadata.deletionTimestamp || oldPod.metadata.deletionGracePeriodSeconds !== pod.metadata.deletionGracePeriodSeconds)) {
      this.addTrace(
        key,
        traceDeadlineMs(
          { kind: 'terminating', deletionTimestampMs: new Date(ts).getTime(), deletionGracePeriodSeconds: pod.metadata.deletionGracePeriodSeconds ?? 0 },
          this.options,
        ),
      );
      return;
    }
    const phase = pod.status?.phase;
    if ((phase === 'Succeeded' || phase === 'Failed') && oldPod.status?.phase !== phase) {
      const finished = (pod.status?.containerStatuses ?? [])
        .map((c) => (c.state?.terminated?.finishedAt ? new Date(c.state.terminated.finishedAt).getTime() : 0))
        .reduce((a, b) => Math.max(a, b), 0);
      this.addTrace(
        key,
        traceDeadlineMs(
          { kind: 'completed', finishedAtMs: finished || this.clock.now(), terminationGracePeriodSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30 },
          this.options,
        ),
      );
    }
  }

  private decide(record: IPAllocationRecord, pod: PodObject | undefined, endpoint: EndpointObject | undefined | 'error', node: GcNodeState, staticValid: boolean): GcDecision {
    const ep: GcEndpoint | 'absent' | 'error' =
      endpoint === 'error' ? 'error' : endpoint === undefined ? 'absent' : { uid: endpoint.status?.current.uid ?? '', ownerControllerType: endpoint.status?.ownerControllerType ?? '' };
    const epStatic = endpoint === 'error' ? undefined : endpointStaticKind(endpoint, this.options);
    return decideRecordGc({
      record,
      endpoint: ep,
      pod: pod === undefined ? undefined : gcPodOf(pod, this.options),
      node,
      staticValid,
      ...(epStatic ? { endpointStaticKind: epStatic } : {}),
      nowMs: this.clock.now(),
      config: this.options,
    });
  }

  /** Static validity needs live reads; only asked when the owner is static. */
  private async staticValid(podKey: string, pod: PodObject | undefined, endpoint: EndpointObject | undefined | 'error'): Promise<boolean> {
    const { namespace, name } = splitKey(podKey);
    const kind = pod ? gcPodOf(pod, this.options).staticKind : endpoint === 'error' ? undefined : endpointStaticKind(endpoint, this.options);
    if (kind === 'StatefulSet') return this.validity.statefulSetPod(namespace, name);
    if (kind === 'KubeVirt') return this.validity.kubevirtVm(namespace, name);
    return false;
  }

  /**
   * Scan every record of every pool on cached state (ipam.md §9.3). Nothing is released here: suspects are traced
   * for a live re-check after `confirmDelayMs`; pods still within their grace are traced until its end.
   */
  async scanAll(): Promise<ScanSummary> {
    let records = 0;
    let suspects = 0;
    const now = this.clock.now();
    for (const pool of this.caches.pools.list()) {
      let parsed: Map<string, IPAllocationRecord>;
      try {
        parsed = parseAllocatedIPs(pool.status?.allocatedIPs);
      } catch {
        continue; // reported on the pool by the IPPool reconciler
      }
      for (const record of parsed.values()) {
        records++;
        const { namespace, name } = splitKey(record.pod);
        const pod = this.caches.pods.get({ namespace, name });
        const endpoint = this.caches.endpoints.get({ namespace, name });
        const node = pod?.spec?.nodeName ? nodeState(this.caches.nodes.get({ name: pod.spec.nodeName })) : 'missing';
        const isStatic = (pod && gcPodOf(pod, this.options).staticKind) || (!pod && endpointStaticKind(endpoint, this.options));
        // Static owners need live reads to judge; defer them to the confirm step instead of reading here.
        const decision = this.decide(record, pod, endpoint, node, Boolean(isStatic));
        if (decision.record === 'release' || decision.endpoint === 'reclaim' || (isStatic && !pod)) {
          suspects++;
          this.addTrace(record.pod, now + this.options.confirmDelayMs);
        } else if (decision.trace && pod?.metadata.deletionTimestamp) {
          const p = gcPodOf(pod, this.options);
          this.addTrace(record.pod, traceDeadlineMs({ kind: 'terminating', deletionTimestampMs: p.deletionTimestampMs ?? now, deletionGracePeriodSeconds: p.deletionGracePeriodSeconds ?? 0 }, this.options));
        }
      }
    }
    this.log.debug({ records, suspects }, 'gc scan finished');
    return { records, suspects };
  }

  /** Handle every trace entry that is due. */
  async processDue(): Promise<number> {
    const now = this.clock.now();
    const due = [...this.trace.values()].filter((e) => e.dueMs <= now);
    if (due.length === 0) return 0;
    const wanted = new Set(due.map((e) => e.podKey));
    const byPod = new Map<string, Array<{ pool: string; ip: string; record: IPAllocationRecord }>>();
    for (const pool of this.caches.pools.list()) {
      let parsed: Map<string, IPAllocationRecord>;
      try {
        parsed = parseAllocatedIPs(pool.status?.allocatedIPs);
      } catch {
        continue;
      }
      for (const [ip, record] of parsed) {
        if (!wanted.has(record.pod)) continue;
        let list = byPod.get(record.pod);
        if (!list) byPod.set(record.pod, (list = []));
        list.push({ pool: pool.metadata.name ?? '', ip, record });
      }
    }
    let released = 0;
    for (const entry of due) {
      this.trace.delete(entry.podKey);
      try {
        released += await this.confirmAndRelease(entry.podKey, byPod.get(entry.podKey) ?? []);
      } catch (err) {
        this.metrics?.ipGcFailureCounts.inc();
        if (entry.attempts + 1 <= this.options.maxRetries) {
          this.trace.set(entry.podKey, { ...entry, attempts: entry.attempts + 1, dueMs: now + this.options.traceIntervalMs });
        }
        this.log.warn({ pod: entry.podKey, [LOG_FIELDS.attempt]: entry.attempts + 1, [LOG_FIELDS.err]: err }, 'gc release failed');
      }
    }
    return released;
  }

  /** Live re-check of one pod's records, then release / reclaim as the pure decision says. */
  private async confirmAndRelease(podKey: string, records: Array<{ pool: string; ip: string; record: IPAllocationRecord }>): Promise<number> {
    const { namespace, name } = splitKey(podKey);
    const pod = await this.client.get<PodObject>(KINDS.pod, { namespace, name });
    let endpoint: EndpointObject | undefined | 'error';
    try {
      endpoint = await this.client.get<EndpointObject>(KINDS.endpoint, { namespace, name });
    } catch {
      endpoint = 'error';
    }
    let node: GcNodeState = 'missing';
    if (pod?.spec?.nodeName) {
      try {
        node = nodeState(await this.client.get<NodeObject>(KINDS.node, { name: pod.spec.nodeName }));
      } catch {
        node = 'unknown';
      }
    }
    const staticValid = await this.staticValid(podKey, pod, endpoint);
    // Records from the endpoint too: a pool record may be missing from a stale cache but present live.
    const targets = new Map(records.map((r) => [`${r.pool}|${r.ip}`, r]));
    if (endpoint !== 'error' && endpoint !== undefined) {
      for (const nic of endpoint.status?.current.ips ?? []) {
        for (const [poolName, addr] of [
          [nic.ipv4Pool, nic.ipv4],
          [nic.ipv6Pool, nic.ipv6],
        ] as const) {
          if (!poolName || !addr) continue;
          const ip = addr.split('/')[0] as string;
          if (!targets.has(`${poolName}|${ip}`)) targets.set(`${poolName}|${ip}`, { pool: poolName, ip, record: { pod: podKey, podUid: endpoint.status?.current.uid ?? '' } });
        }
      }
    }
    let released = 0;
    let reclaim = false;
    const byPool = new Map<string, Array<{ ip: string; podUid: string }>>();
    for (const t of targets.values()) {
      // Re-read the pool: the record must still exist with the same owner for the decision to stand.
      const live = await this.pools.get(t.pool);
      const record = live ? parseAllocatedIPs(live.status?.allocatedIPs).get(t.ip) : undefined;
      const decision = this.decide(record ?? t.record, pod, endpoint, node, staticValid);
      if (decision.endpoint === 'reclaim') reclaim = true;
      if (decision.trace && pod?.metadata.deletionTimestamp) {
        const p = gcPodOf(pod, this.options);
        this.addTrace(podKey, traceDeadlineMs({ kind: 'terminating', deletionTimestampMs: p.deletionTimestampMs ?? 0, deletionGracePeriodSeconds: p.deletionGracePeriodSeconds ?? 0 }, this.options));
      }
      if (record === undefined || record.pod !== podKey || decision.record !== 'release') continue;
      let list = byPool.get(t.pool);
      if (!list) byPool.set(t.pool, (list = []));
      list.push({ ip: t.ip, podUid: record.podUid });
    }
    for (const [poolName, requests] of byPool) {
      this.metrics?.ipGcCounts.inc();
      const out = await this.pools.release(poolName, requests);
      released += out.length;
      if (out.length > 0) this.log.info({ pool: poolName, pod: podKey, ips: out }, 'gc released IPs');
    }
    if (targets.size === 0 && endpoint !== 'error' && endpoint !== undefined) {
      reclaim = this.decide({ pod: podKey, podUid: endpoint.status?.current.uid ?? '' }, pod, endpoint, node, staticValid).endpoint === 'reclaim';
    }
    if (reclaim && endpoint !== 'error' && endpoint !== undefined) await this.reclaimEndpoint(endpoint);
    return released;
  }

  /** Delete the endpoint (guarded by its UID) and remove our finalizer (ipam.md §9.1 "reclaim an endpoint"). */
  private async reclaimEndpoint(endpoint: EndpointObject): Promise<void> {
    const ref = { namespace: endpoint.metadata.namespace ?? '', name: endpoint.metadata.name ?? '' };
    if (!endpoint.metadata.deletionTimestamp) await this.client.delete(KINDS.endpoint, ref, endpoint.metadata.uid ? { uid: endpoint.metadata.uid } : {});
    await retryOnConflict(
      () => this.client.get<EndpointObject>(KINDS.endpoint, ref),
      (ep) => {
        if (ep === undefined || ep.metadata.uid !== endpoint.metadata.uid) return undefined;
        const finalizers = ep.metadata.finalizers ?? [];
        if (!finalizers.includes(FINALIZER)) return undefined;
        return { ...ep, metadata: { ...ep.metadata, finalizers: finalizers.filter((f) => f !== FINALIZER) } };
      },
      (next) => this.client.replace(KINDS.endpoint, next),
    );
    this.log.info({ [LOG_FIELDS.namespace]: ref.namespace, [LOG_FIELDS.name]: ref.name }, 'gc reclaimed endpoint');
  }
}

