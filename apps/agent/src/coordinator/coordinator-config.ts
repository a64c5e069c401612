import type { CoordinatorConfig } from '@spiderpool/agent-api';
import type { SpiderCoordinator } from '@spiderpool/crd-types';
import type { PodView } from '../cluster/cluster.port.js';

/** Pod annotation that overrides `spec.podDefaultRouteNIC` when the key exists, even with an empty value. */
export const ANNOTATION_DEFAULT_ROUTE_NIC = 'ipam.spidernet.io/default-route-nic';

/**
 * The coordinator settings one pod gets (cni-and-agent.md §2.4 `CoordinatorConfig`): the SpiderCoordinator's spec
 * and detected CIDRs, with the pod's default-route-NIC annotation applied. Pure; the caller checks readiness.
 * Defect D4 fixed: a missing `status.serviceCIDR` or `status.overlayPodCIDR` is `[]`, never null.
 */
export function coordinatorConfigFor(coordinator: SpiderCoordinator, pod: PodView): CoordinatorConfig {
  const spec = coordinator.spec;
  const annotations = pod.metadata.annotations ?? {};
  const routeNic = Object.hasOwn(annotations, ANNOTATION_DEFAULT_ROUTE_NIC)
    ? annotations[ANNOTATION_DEFAULT_ROUTE_NIC]
    : spec.podDefaultRouteNIC;
  const policyRoutes = (spec.policyRoutes ?? []).map((r) => ({ dst: r.dst, gw: r.gw }));
  return {
    mode: spec.mode,
    overlayPodCIDR: [...(coordinator.status?.overlayPodCIDR ?? [])],
    serviceCIDR: [...(coordinator.status?.serviceCIDR ?? [])],
    ...(spec.hijackCIDR !== undefined ? { hijackCIDR: [...spec.hijackCIDR] } : {}),
    policyRoutes: policyRoutes.length > 0 ? policyRoutes : null,
    podMACPrefix: spec.podMACPrefix ?? '',
    tunePodRoutes: spec.tunePodRoutes,
    ...(routeNic !== undefined ? { podDefaultRouteNIC: routeNic } : {}),
    ...(spec.hostRuleTable > 0 ? { hostRuleTable: spec.hostRuleTable } : {}),
    podRPFilter: spec.podRPFilter,
    txQueueLen: spec.txQueueLen,
    vethLinkAddress: spec.vethLinkAddress ?? '',
    vethMTU: spec.vethMTU ?? 0,
  };
}
