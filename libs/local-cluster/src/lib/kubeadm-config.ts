import type { ControlPlaneNetworking } from '@spiderpool/testing';

/**
 * The `kube-system/kubeadm-config` ConfigMap kubeadm writes on a real cluster, reduced to what readers of it use
 * (`ClusterConfiguration.networking`). The values are the flags the local control plane runs with, so the
 * SpiderCoordinator's CIDR detection sees the same cluster a kubeadm install would describe.
 */
export function kubeadmConfigMap(networking: ControlPlaneNetworking): Record<string, unknown> {
  const clusterConfiguration = [
    'apiVersion: kubeadm.k8s.io/v1beta3',
    'kind: ClusterConfiguration',
    'clusterName: spiderpool-local',
    'networking:',
    '  dnsDomain: cluster.local',
    `  podSubnet: ${networking.podSubnet}`,
    `  serviceSubnet: ${networking.serviceSubnet}`,
    '',
  ].join('\n');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
    data: { ClusterConfiguration: clusterConfiguration },
  };
}
