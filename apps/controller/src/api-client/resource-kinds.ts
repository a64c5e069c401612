import { API_GROUP_VERSION } from '@spiderpool/crd-types';
import type { ResourceKind } from './object-client.port.js';

const spider = (kind: string, plural: string, namespaced = false): ResourceKind => ({
  apiVersion: API_GROUP_VERSION,
  kind,
  plural,
  namespaced,
});

/** The kinds the controller reads and writes. */
export const KINDS = {
  ippool: spider('SpiderIPPool', 'spiderippools'),
  subnet: spider('SpiderSubnet', 'spidersubnets'),
  endpoint: spider('SpiderEndpoint', 'spiderendpoints', true),
  reservedIP: spider('SpiderReservedIP', 'spiderreservedips'),
  pod: { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  node: { apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  replicaSet: { apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true },
  statefulSet: { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  daemonSet: { apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true },
  job: { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true },
  cronJob: { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  vmi: { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', plural: 'virtualmachineinstances', namespaced: true },
  vm: { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', plural: 'virtualmachines', namespaced: true },
} as const satisfies Record<string, ResourceKind>;

/** The workload kinds whose auto pools the controller manages (ipam.md §7.5). */
export const WORKLOAD_KINDS: readonly ResourceKind[] = [
  KINDS.deployment,
  KINDS.replicaSet,
  KINDS.statefulSet,
  KINDS.daemonSet,
  KINDS.job,
  KINDS.cronJob,
];

export function kindByName(apiVersion: string, kind: string): ResourceKind | undefined {
  return Object.values(KINDS).find((k) => k.apiVersion === apiVersion && k.kind === kind);
}

/** `/api/v1/...` for the core group, `/apis/<group>/<version>/...` otherwise. */
export function objectPath(kind: ResourceKind, namespace: string | undefined, name?: string): string {
  const base = kind.apiVersion.includes('/') ? `/apis/${kind.apiVersion}` : `/api/${kind.apiVersion}`;
  const ns = kind.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${kind.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
