import { parse as parseYaml } from 'yaml';
import { kubeadmConfigMap } from './kubeadm-config.js';

describe('kubeadmConfigMap', () => {
  it('records the control plane networking in kube-system/kubeadm-config as kubeadm does', () => {
    const cm = kubeadmConfigMap({ podSubnet: '10.244.0.0/16', serviceSubnet: '10.0.0.0/24' }) as {
      metadata: { name: string; namespace: string };
      data: { ClusterConfiguration: string };
    };
    expect(cm.metadata).toEqual({ name: 'kubeadm-config', namespace: 'kube-system' });
    const cc = parseYaml(cm.data.ClusterConfiguration) as {
      kind: string;
      networking: { podSubnet: string; serviceSubnet: string };
    };
    expect(cc.kind).toBe('ClusterConfiguration');
    expect(cc.networking).toMatchObject({ podSubnet: '10.244.0.0/16', serviceSubnet: '10.0.0.0/24' });
  });
});
