import type { TopController } from '@spiderpool/ipam-core';
import type { ClusterApi, PodView } from '../cluster/cluster.port.js';
import { TopControllerNotFoundError } from '../errors.js';

const CORE_API_VERSIONS = new Set(['v1', 'apps/v1', 'batch/v1']);

/**
 * The outermost owner of a Pod (ipam.md §3.2): no controller → the Pod itself; third-party owners as referenced;
 * a ReplicaSet under a Deployment → the Deployment; a Job under a CronJob → the CronJob. The intermediate owner is
 * read live; the outer one is taken from its ownerReference.
 */
export async function resolveTopController(pod: PodView, api: ClusterApi): Promise<TopController> {
  const { namespace, name, uid } = pod.metadata;
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner === undefined) return { apiVersion: 'v1', kind: 'Pod', namespace, name, uid };
  const direct = {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    namespace,
    name: owner.name,
    uid: owner.uid,
  };
  if (!CORE_API_VERSIONS.has(owner.apiVersion)) return direct;
  const parentKind =
    owner.kind === 'ReplicaSet'
      ? { apiVersion: 'apps/v1', kind: 'Deployment' }
      : owner.kind === 'Job'
        ? { apiVersion: 'batch/v1', kind: 'CronJob' }
        : undefined;
  if (parentKind === undefined) return direct;
  let obj;
  try {
    obj = await api.readOwner(owner.apiVersion, owner.kind, namespace, owner.name);
  } catch (err) {
    throw new TopControllerNotFoundError(
      `failed to get ${owner.kind} ${namespace}/${owner.name} of Pod ${namespace}/${name}`,
      { cause: err },
    );
  }
  if (obj === undefined)
    throw new TopControllerNotFoundError(
      `${owner.kind} ${namespace}/${owner.name} of Pod ${namespace}/${name} not found`,
    );
  const parent = (obj.metadata.ownerReferences ?? []).find(
    (o) => o.controller === true && o.apiVersion === parentKind.apiVersion && o.kind === parentKind.kind,
  );
  return parent === undefined
    ? direct
    : { apiVersion: parent.apiVersion, kind: parent.kind, namespace, name: parent.name, uid: parent.uid };
}

/** ipam.md §4.2 step 2. */
export function isPodAlive(pod: PodView): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  const restart = pod.spec?.restartPolicy;
  if (phase === 'Succeeded' && restart !== 'Always') return false;
  if (phase === 'Failed' && (restart === 'Never' || pod.status?.reason === 'Evicted')) return false;
  return true;
}

/** `web-3` → `{ set: 'web', ordinal: 3 }`. */
export function statefulSetOrdinal(podName: string): { set: string; ordinal: number } | undefined {
  const m = /^(.*)-([0-9]+)$/.exec(podName);
  return m === null ? undefined : { set: m[1] as string, ordinal: Number(m[2]) };
}
