import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { SpiderEndpoint } from '@spiderpool/crd-types';
import {
  decideRecordGc,
  type GcConfig,
  type GcDecision,
  type GcNodeState,
  type GcPod,
  type StaticKind,
} from '@spiderpool/ipam-core';
import type { ClusterPort } from '../cluster/cluster.port.js';
import { holdingsOf, type IpManager, type IPHolding } from '../ip/ip.manager.js';

export interface GcOptions {
  readonly config: GcConfig;
  readonly enableStatefulSet: boolean;
  readonly enableKubevirtStaticIP: boolean;
  readonly nowMs: number;
  /** Release what the decision collects (default: only print it). */
  readonly apply: boolean;
}

export interface GcLine {
  readonly ip: string;
  readonly pool: string;
  readonly pod: string;
  readonly podUid: string;
  readonly decision: GcDecision;
  /** With --apply: whether the pool record was removed. */
  readonly released?: boolean;
}

/** The controller's default GC switches (controller config `SPIDERPOOL_GC_*` defaults). */
export const DEFAULT_GC_CONFIG: GcConfig = {
  enabled: true,
  statelessTerminatingOnReadyNode: true,
  statelessTerminatingOnNotReadyNode: true,
  statelessRunningOnEmptyPodIPs: false,
  additionalGraceDelaySeconds: 0,
};

function gcPodOf(pod: V1Pod, options: GcOptions): GcPod {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller === true);
  let staticKind: StaticKind | undefined;
  if (owner?.kind === 'StatefulSet' && owner.apiVersion === 'apps/v1' && options.enableStatefulSet) staticKind = 'StatefulSet';
  if (owner?.kind === 'VirtualMachineInstance' && options.enableKubevirtStaticIP) staticKind = 'KubeVirt';
  const ts = pod.metadata?.deletionTimestamp;
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  return {
    uid: pod.metadata?.uid ?? '',
    phase: (pod.status?.phase as GcPod['phase'] | undefined) ?? 'Unknown',
    ...(ts ? { deletionTimestampMs: new Date(ts).getTime() } : {}),
    ...(grace !== undefined && grace !== null ? { deletionGracePeriodSeconds: grace } : {}),
    podIPs: (pod.status?.podIPs ?? []).map((p) => p.ip),
    ...(staticKind ? { staticKind } : {}),
  };
}

function nodeState(node: V1Node | undefined): GcNodeState {
  if (node === undefined) return 'missing';
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'ready' : 'notReady';
}

async function orError<T>(p: Promise<T>): Promise<T | 'error'> {
  try {
    return await p;
  } catch {
    return 'error';
  }
}

/**
 * Runs ipam-core's GC decision over live reads of every pool record. A static owner (StatefulSet, KubeVirt) is
 * assumed still valid: the CLI does not re-implement the controller's validity reads, so it never releases one.
 */
export async function runGc(cluster: ClusterPort, ips: IpManager, options: GcOptions): Promise<GcLine[]> {
  const out: GcLine[] = [];
  for (const pool of await cluster.listPools()) {
    for (const holding of holdingsOf(pool)) {
      const decision = await decide(cluster, holding, options);
      let released: boolean | undefined;
      if (options.apply && decision.record === 'release') released = (await ips.releaseHolding(holding)).poolReleased;
      out.push({
        ip: holding.ip,
        pool: holding.pool,
        pod: holding.record.pod,
        podUid: holding.record.podUid,
        decision,
        ...(released === undefined ? {} : { released }),
      });
    }
  }
  return out;
}

async function decide(cluster: ClusterPort, h: IPHolding, options: GcOptions): Promise<GcDecision> {
  const [pod, ep] = await Promise.all([
    cluster.getPod(h.namespace, h.podName),
    orError<SpiderEndpoint | undefined>(cluster.getEndpoint(h.namespace, h.podName)),
  ]);
  const nodeName = pod?.spec?.nodeName;
  const node: GcNodeState =
    nodeName === undefined || nodeName === ''
      ? 'missing'
      : await cluster.getNode(nodeName).then(nodeState, () => 'unknown' as const);
  const ownerType = ep === 'error' ? undefined : ep?.status?.ownerControllerType;
  const endpointStaticKind: StaticKind | undefined =
    ownerType === 'StatefulSet' && options.enableStatefulSet
      ? 'StatefulSet'
      : ownerType === 'VirtualMachineInstance' && options.enableKubevirtStaticIP
        ? 'KubeVirt'
        : undefined;
  return decideRecordGc({
    record: h.record,
    endpoint:
      ep === 'error'
        ? 'error'
        : ep === undefined
          ? 'absent'
          : { uid: ep.status?.current.uid ?? '', ownerControllerType: ep.status?.ownerControllerType ?? '' },
    pod: pod === undefined ? undefined : gcPodOf(pod, options),
    node,
    staticValid: true,
    ...(endpointStaticKind ? { endpointStaticKind } : {}),
    nowMs: options.nowMs,
    config: options.config,
  });
}

export function formatGcLine(l: GcLine): string {
  const applied = l.released === undefined ? '' : l.released ? ' released' : ' unchanged (record changed)';
  return `${l.decision.record.padEnd(7)} ${l.ip} ${l.pool} ${l.pod} ${l.decision.reason}${applied}`;
}
