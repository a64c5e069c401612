import type { V1Pod, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';

/** The status kubelet would report once the sandbox is up and the containers run (no real containers here). */
export function runningPodStatus(args: {
  pod: V1Pod;
  podIPs: string[];
  hostIP: string;
  containerId: string;
  now: Date;
}): V1PodStatus {
  const { pod, podIPs, hostIP, containerId, now } = args;
  const startTime = pod.status?.startTime ?? now;
  const condition = (type: string): V1PodCondition => ({ type, status: 'True', lastTransitionTime: now });
  return {
    phase: 'Running',
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP: podIPs[0],
    podIPs: podIPs.map((ip) => ({ ip })),
    startTime,
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
      condition,
    ),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      containerID: `sim://${containerId}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
}

/** The IP part of each CIDR of a CNI result, in order, without duplicates. */
export function podIPsFromResult(ips: readonly { address: string }[]): string[] {
  return [...new Set(ips.map((ip) => ip.address.split('/')[0] ?? ''))].filter((ip) => ip !== '');
}
