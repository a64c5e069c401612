import {
  ANNOTATION_IPPOOL_IP_NUMBER,
  ANNOTATION_IPPOOL_RECLAIM,
  ANNOTATION_SUBNET,
  ANNOTATION_SUBNETS,
  jobPods,
} from '@spiderpool/ipam-core';
import type { Predicate } from '@spiderpool/k8s-runtime';
import type { WireObject } from '../api-client/object-client.port.js';

/**
 * Pure views of the workload kinds that get auto pools (ipam.md §7.2, §7.5): their pod template, replica count
 * and whether the controller ignores them.
 */

interface PodTemplate {
  metadata?: { annotations?: Record<string, string> };
  spec?: { hostNetwork?: boolean };
}

interface JobSpec {
  parallelism?: number | null;
  completions?: number | null;
  template?: PodTemplate;
}

export interface WorkloadObject extends WireObject {
  spec?: {
    replicas?: number | null;
    template?: PodTemplate;
    parallelism?: number | null;
    completions?: number | null;
    jobTemplate?: { spec?: JobSpec };
  };
  status?: { desiredNumberScheduled?: number };
}

export function podTemplateOf(kind: string, obj: WorkloadObject): PodTemplate | undefined {
  return kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template : obj.spec?.template;
}

/** Replica source per kind (ipam.md §7.2, controller row). */
export function replicasOf(kind: string, obj: WorkloadObject): number {
  switch (kind) {
    case 'DaemonSet':
      return obj.status?.desiredNumberScheduled ?? 0;
    case 'Job':
      return jobPods(obj.spec?.parallelism, obj.spec?.completions);
    case 'CronJob':
      return jobPods(obj.spec?.jobTemplate?.spec?.parallelism, obj.spec?.jobTemplate?.spec?.completions);
    default:
      return obj.spec?.replicas ?? 0;
  }
}

/** ReplicaSets of a Deployment and Jobs of a CronJob are handled through their parent; hostNetwork never. */
export function isIgnoredWorkload(kind: string, obj: WorkloadObject): boolean {
  const owner = obj.metadata.ownerReferences?.find((o) => o.controller);
  if (kind === 'ReplicaSet' && owner?.kind === 'Deployment') return true;
  if (kind === 'Job' && owner?.kind === 'CronJob') return true;
  return podTemplateOf(kind, obj)?.spec?.hostNetwork === true;
}

const AUTO_POOL_ANNOTATIONS = [ANNOTATION_SUBNET, ANNOTATION_SUBNETS, ANNOTATION_IPPOOL_IP_NUMBER, ANNOTATION_IPPOOL_RECLAIM];

/** Update filter (ipam.md §7.5 step 2): the subnet config, the replica count or hostNetwork changed, or deletion began. */
export function autoPoolInputsChanged(kind: string): Predicate<WorkloadObject> {
  return (o, n) => {
    if (!o.metadata.deletionTimestamp && n.metadata.deletionTimestamp) return true;
    if (replicasOf(kind, o) !== replicasOf(kind, n)) return true;
    const ta = podTemplateOf(kind, o);
    const tb = podTemplateOf(kind, n);
    if ((ta?.spec?.hostNetwork ?? false) !== (tb?.spec?.hostNetwork ?? false)) return true;
    return AUTO_POOL_ANNOTATIONS.some((k) => ta?.metadata?.annotations?.[k] !== tb?.metadata?.annotations?.[k]);
  };
}
