import { API_GROUP_VERSION, type POD_CIDR_TYPES, type SpiderCoordinator } from '@spiderpool/crd-types';
import {
  calicoOverlayCidrs,
  ciliumNeedsPools,
  ciliumOverlayCidrs,
  detectPodCIDRType,
  NO_KCM_POD_REASON,
  parseKcmPod,
  parseKubeadmConfig,
  primaryCniConfName,
  type ClusterCidrs,
  type ResolvedPodCIDRType,
} from './cidr-detection.js';
import type { DefaultCoordinatorSpec } from './coordinator.config.js';
import type { CoordinatorClusterReader, CoordinatorStatusPatch } from './coordinator.manager.js';

type PodCIDRType = (typeof POD_CIDR_TYPES)[number];

export interface StatusWarning {
  reason: 'ClusterNotReady' | 'CiliumNotReady';
  note: string;
}

export interface StatusOutcome {
  status: CoordinatorStatusPatch;
  warnings: StatusWarning[];
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const notReady = (reason: string, serviceCIDR: string[] = []): CoordinatorStatusPatch => ({
  phase: 'NotReady',
  reason,
  overlayPodCIDR: [],
  serviceCIDR,
});

/** `auto` → the primary CNI config of the host CNI directory (§2.4.3). */
export async function resolvePodCIDRType(type: PodCIDRType, reader: CoordinatorClusterReader): Promise<ResolvedPodCIDRType> {
  if (type !== 'auto') return type;
  const primary = primaryCniConfName(await reader.listCniConfNames());
  if (primary === undefined) return 'none';
  return detectPodCIDRType([{ name: primary, content: await reader.readCniConf(primary) }]);
}

/**
 * The status sync of the default SpiderCoordinator (controller-and-chart.md §2.4.2): resolve the pod CIDR type,
 * read the cluster's pod/service CIDRs from kube-system/kubeadm-config, falling back to the
 * kube-controller-manager pod's flags, then the overlay CIDRs by type. I/O goes through the reader; every
 * decision is one of the pure functions of `cidr-detection.ts`.
 */
export async function detectCoordinatorStatus(
  spec: SpiderCoordinator['spec'],
  current: SpiderCoordinator['status'],
  reader: CoordinatorClusterReader,
  options: { ciliumConfigMap: { namespace: string; name: string } },
): Promise<StatusOutcome> {
  const warnings: StatusWarning[] = [];
  if (spec.podCIDRType === undefined) return { status: notReady('spec.podCIDRType is not set'), warnings };

  let type: ResolvedPodCIDRType;
  try {
    type = await resolvePodCIDRType(spec.podCIDRType, reader);
  } catch (err) {
    return { status: notReady(message(err)), warnings };
  }

  let k8s: ClusterCidrs = { podCIDR: [], serviceCIDR: [] };
  try {
    const data = await reader.getConfigMapData('kube-system', 'kubeadm-config');
    if (data) k8s = parseKubeadmConfig(data);
  } catch {
    // unreadable or unparsable kubeadm-config: fall back to the kube-controller-manager pod
  }
  if (k8s.podCIDR.length === 0 || k8s.serviceCIDR.length === 0) {
    let pods;
    try {
      pods = await reader.listKubeControllerManagerPods();
    } catch (err) {
      warnings.push({ reason: 'ClusterNotReady', note: 'Neither kubeadm-config ConfigMap nor kube-controller-manager Pod can be found' });
      return { status: notReady(message(err)), warnings };
    }
    const first = pods[0];
    if (!first) return { status: notReady(NO_KCM_POD_REASON), warnings };
    k8s = parseKcmPod(first);
  }

  let overlay: string[];
  try {
    switch (type) {
      case 'cluster':
        overlay = k8s.podCIDR;
        break;
      case 'calico':
        overlay = calicoOverlayCidrs(await reader.listCalicoIPPools());
        break;
      case 'cilium': {
        const { namespace, name } = options.ciliumConfigMap;
        const data = await reader.getConfigMapData(namespace, name);
        if (!data) {
          warnings.push({ reason: 'CiliumNotReady', note: 'Cilium needs to be installed first' });
          throw new Error(`ConfigMap ${namespace}/${name} not found: Cilium needs to be installed first`);
        }
        const pools = ciliumNeedsPools(data) ? await reader.listCiliumPodIPPools() : undefined;
        overlay = ciliumOverlayCidrs(data, pools, k8s.podCIDR);
        break;
      }
      case 'none':
        overlay = [];
        break;
    }
  } catch (err) {
    return { status: notReady(message(err), [...(current?.serviceCIDR ?? [])]), warnings };
  }
  return { status: { phase: 'Synced', reason: null, overlayPodCIDR: overlay, serviceCIDR: k8s.serviceCIDR }, warnings };
}

/** Does the live status already say this? (`reason` '' / absent / null are the same.) */
export function sameStatus(current: SpiderCoordinator['status'], next: CoordinatorStatusPatch): boolean {
  if (!current) return false;
  const list = (v: string[] | null | undefined) => JSON.stringify(v ?? []);
  return (
    current.phase === next.phase &&
    (current.reason ?? '') === (next.reason ?? '') &&
    list(current.overlayPodCIDR) === list(next.overlayPodCIDR) &&
    list(current.serviceCIDR) === list(next.serviceCIDR)
  );
}

/** Records which configuration-derived spec was last applied, so user edits stand until the config changes. */
export const APPLIED_DEFAULT_SPEC_ANNOTATION = 'spiderpool.spidernet.io/applied-default-spec';

export type DefaultCoordinatorPlan =
  | { action: 'create'; object: SpiderCoordinator }
  | { action: 'patch'; patch: { metadata: { annotations: Record<string, string> }; spec: DefaultCoordinatorSpec } }
  | { action: 'none' };

/**
 * The default SpiderCoordinator is owned by the controller (not a one-shot install Job): create it from the
 * configuration when missing; when the configuration changed since it was last applied, apply the new values
 * (and only then, so `kubectl patch` edits are kept across restarts).
 */
export function planDefaultCoordinator(existing: SpiderCoordinator | undefined, name: string, desired: DefaultCoordinatorSpec): DefaultCoordinatorPlan {
  const applied = JSON.stringify(desired);
  if (!existing) {
    return {
      action: 'create',
      object: {
        apiVersion: API_GROUP_VERSION,
        kind: 'SpiderCoordinator',
        metadata: { name, annotations: { [APPLIED_DEFAULT_SPEC_ANNOTATION]: applied } },
        spec: { ...desired, hostRuleTable: 500, podRPFilter: 0, txQueueLen: 0 },
      },
    };
  }
  if (existing.metadata.deletionTimestamp != null) return { action: 'none' };
  if (existing.metadata.annotations?.[APPLIED_DEFAULT_SPEC_ANNOTATION] === applied) return { action: 'none' };
  return { action: 'patch', patch: { metadata: { annotations: { [APPLIED_DEFAULT_SPEC_ANNOTATION]: applied } }, spec: desired } };
}
