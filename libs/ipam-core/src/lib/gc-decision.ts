import type { IPAllocationRecord } from './allocated-ips.codec.js';

/** GC configuration (ipam.md §10.3; the shell maps `SPIDERPOOL_GC_*` onto it). */
export interface GcConfig {
  readonly enabled: boolean;
  readonly statelessTerminatingOnReadyNode: boolean;
  readonly statelessTerminatingOnNotReadyNode: boolean;
  readonly statelessRunningOnEmptyPodIPs: boolean;
  readonly additionalGraceDelaySeconds: number;
}

export type StaticKind = 'StatefulSet' | 'KubeVirt';

export interface GcPod {
  readonly uid: string;
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** Epoch ms of `metadata.deletionTimestamp`, when set. */
  readonly deletionTimestampMs?: number;
  readonly deletionGracePeriodSeconds?: number;
  readonly podIPs: readonly string[];
  /** Set when the pod's controller is a StatefulSet / VirtualMachineInstance and that feature is enabled. */
  readonly staticKind?: StaticKind;
}

export interface GcEndpoint {
  readonly uid: string;
  /** `status.ownerControllerType`. */
  readonly ownerControllerType: string;
}

/** State of the pod's Node: `missing` = deleted, `unknown` = could not be read this time. */
export type GcNodeState = 'ready' | 'notReady' | 'missing' | 'unknown';

export interface GcInput {
  readonly record: IPAllocationRecord;
  /** The SpiderEndpoint named after the record's pod; `error` when it could not be read. */
  readonly endpoint: GcEndpoint | 'absent' | 'error';
  readonly pod: GcPod | undefined;
  readonly node: GcNodeState;
  /**
   * Whether the record's owner is still a valid StatefulSet member / KubeVirt VM (ipam.md §8.1/§8.2 validity,
   * computed by the shell from live reads). Only consulted for static owners.
   */
  readonly staticValid: boolean;
  /** Static owner kind for a record whose pod is gone, from the endpoint (`ownerControllerType`) and feature flags. */
  readonly endpointStaticKind?: StaticKind;
  readonly nowMs: number;
  readonly config: GcConfig;
}

export type GcReason =
  | 'GcDisabled'
  | 'EndpointUnreadable'
  | 'NodeUnknown'
  | 'PodGoneNoEndpoint'
  | 'PodGoneStaticValid'
  | 'PodGoneStaticInvalid'
  | 'PodGone'
  | 'PodPending'
  | 'PodHasIPs'
  | 'StaticPodValid'
  | 'StaticPodInvalid'
  | 'RunningEmptyPodIPsFlagOff'
  | 'RunningEmptyPodIPs'
  | 'NoPodIPs'
  | 'TerminatingWithinGrace'
  | 'TerminatingPastGrace'
  | 'TerminatingNodeGateClosed'
  | 'CompletedStateless'
  | 'UidMismatch';

export interface GcDecision {
  readonly record: 'keep' | 'release';
  /** What to do with the SpiderEndpoint named after the pod. */
  readonly endpoint: 'keep' | 'reclaim';
  /** Add a real-time trace entry (leader only): the decision will be due later. */
  readonly trace: boolean;
  readonly reason: GcReason;
}

const keep = (reason: GcReason, trace = false): GcDecision => ({
  record: 'keep',
  endpoint: 'keep',
  trace,
  reason,
});

/** Whether the node gate (ipam.md §9.1) lets a stateless pod be collected. A deleted node counts as not Ready. */
function nodeGate(node: GcNodeState, config: GcConfig): boolean | undefined {
  if (node === 'unknown') return undefined;
  if (node === 'ready') return config.statelessTerminatingOnReadyNode;
  return config.statelessTerminatingOnNotReadyNode;
}

/**
 * The scan-all decision for one `status.allocatedIPs` record (ipam.md §9.3), with the gaps of §13 fixed:
 * a pod on a deleted node is judged by the NotReady gate instead of being skipped forever, and a terminating pod
 * with empty `podIPs` is released only through the node gate (stateless) or its validity (static) — never a
 * valid StatefulSet/KubeVirt member.
 */
export function decideRecordGc(input: GcInput): GcDecision {
  const { record, endpoint, pod, config } = input;
  if (!config.enabled) return keep('GcDisabled');
  if (pod === undefined) {
    if (endpoint === 'error') return keep('EndpointUnreadable');
    if (endpoint === 'absent')
      return { record: 'release', endpoint: 'keep', trace: false, reason: 'PodGoneNoEndpoint' };
    if (input.endpointStaticKind !== undefined) {
      return input.staticValid
        ? keep('PodGoneStaticValid')
        : { record: 'release', endpoint: 'reclaim', trace: false, reason: 'PodGoneStaticInvalid' };
    }
    return { record: 'release', endpoint: 'reclaim', trace: false, reason: 'PodGone' };
  }

  const isStatic = pod.staticKind !== undefined;
  const hasIPs = pod.podIPs.length > 0;
  const decided = podStatusDecision(pod, input);
  // A node that could not be read postpones only the decisions that need the node gate.
  const status: StatusDecision =
    decided === 'unknown' ? { collect: false, trace: false, reason: 'NodeUnknown' } : decided;
  const staticRelease = hasIPs || !input.staticValid;

  let recordAction: 'keep' | 'release';
  let reason = status.reason;
  if (pod.uid !== record.podUid) {
    // The record belongs to an older incarnation of the pod (same name, new UID).
    recordAction = !isStatic || staticRelease ? 'release' : 'keep';
    reason = recordAction === 'release' ? 'UidMismatch' : 'StaticPodValid';
  } else {
    recordAction = status.collect ? 'release' : 'keep';
  }

  let endpointAction: 'keep' | 'reclaim' = 'keep';
  if (endpoint !== 'absent' && endpoint !== 'error') {
    if (endpoint.uid !== pod.uid) {
      // A stale endpoint goes; the record is judged on its own UID (upstream also released a current record here).
      endpointAction = !isStatic || staticRelease ? 'reclaim' : 'keep';
      if (endpointAction === 'reclaim' && recordAction === 'keep') reason = 'UidMismatch';
    } else if (status.collect) {
      endpointAction = 'reclaim';
    }
  }
  return { record: recordAction, endpoint: endpointAction, trace: status.trace, reason };
}

interface StatusDecision {
  readonly collect: boolean;
  readonly trace: boolean;
  readonly reason: GcReason;
}

function podStatusDecision(pod: GcPod, input: GcInput): StatusDecision | 'unknown' {
  const { config } = input;
  const isStatic = pod.staticKind !== undefined;
  const hasIPs = pod.podIPs.length > 0;
  const terminating = pod.deletionTimestampMs !== undefined;
  const staticVerdict = (): StatusDecision =>
    input.staticValid
      ? { collect: false, trace: false, reason: 'StaticPodValid' }
      : { collect: true, trace: false, reason: 'StaticPodInvalid' };

  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') {
    if (isStatic)
      return input.staticValid ? { collect: false, trace: true, reason: 'StaticPodValid' } : staticVerdict();
    if (!terminating) return { collect: false, trace: false, reason: 'CompletedStateless' };
    return deletionRule(pod, input);
  }
  if (pod.phase === 'Pending') return { collect: false, trace: false, reason: 'PodPending' };
  if (terminating) return deletionRule(pod, input);
  if (hasIPs) return { collect: false, trace: false, reason: 'PodHasIPs' };
  if (isStatic) return staticVerdict();
  if (pod.phase === 'Running') {
    return config.statelessRunningOnEmptyPodIPs
      ? { collect: true, trace: false, reason: 'RunningEmptyPodIPs' }
      : { collect: false, trace: false, reason: 'RunningEmptyPodIPsFlagOff' };
  }
  return { collect: true, trace: false, reason: 'NoPodIPs' };
}

function deletionRule(pod: GcPod, input: GcInput): StatusDecision | 'unknown' {
  const { config } = input;
  const isStatic = pod.staticKind !== undefined;
  const stop =
    (pod.deletionTimestampMs as number) +
    ((pod.deletionGracePeriodSeconds ?? 0) + config.additionalGraceDelaySeconds) * 1000;
  const past = input.nowMs > stop;
  if (!past && pod.podIPs.length > 0)
    return { collect: false, trace: true, reason: 'TerminatingWithinGrace' };
  // Past the grace period, or the sandbox is already gone (no podIPs).
  if (isStatic) {
    return input.staticValid
      ? { collect: false, trace: false, reason: 'StaticPodValid' }
      : { collect: true, trace: false, reason: 'StaticPodInvalid' };
  }
  const gate = nodeGate(input.node, config);
  if (gate === undefined) return 'unknown';
  if (!gate) return { collect: false, trace: false, reason: 'TerminatingNodeGateClosed' };
  return { collect: true, trace: false, reason: past ? 'TerminatingPastGrace' : 'NoPodIPs' };
}

/** When a real-time trace entry (ipam.md §9.2) becomes due: start + grace + delay, in epoch ms. */
export function traceDeadlineMs(
  event:
    | { readonly kind: 'deleted'; readonly nowMs: number }
    | {
        readonly kind: 'terminating';
        readonly deletionTimestampMs: number;
        readonly deletionGracePeriodSeconds?: number;
      }
    | {
        readonly kind: 'completed';
        readonly finishedAtMs: number;
        readonly terminationGracePeriodSeconds?: number;
      },
  config: Pick<GcConfig, 'additionalGraceDelaySeconds'>,
): number {
  const delay = config.additionalGraceDelaySeconds * 1000;
  switch (event.kind) {
    case 'deleted':
      return event.nowMs + delay;
    case 'terminating':
      return event.deletionTimestampMs + (event.deletionGracePeriodSeconds ?? 0) * 1000 + delay;
    default:
      return event.finishedAtMs + (event.terminationGracePeriodSeconds ?? 0) * 1000 + delay;
  }
}
