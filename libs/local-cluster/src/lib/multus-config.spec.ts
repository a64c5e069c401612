import { customMultusConfig, seedMultusConfig } from './multus-config.js';
import { InvalidTopologyError } from './errors.js';

const SEED_SMC = `apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderMultusConfig
metadata:
  name: macvlan-conf
  namespace: kube-system
spec:
  cniType: macvlan
  macvlan:
    master:
    - \${MACVLAN_MASTER_INTERFACE}
`;

describe('customMultusConfig', () => {
  it('carries the network config as customCNI JSON text, named like the SMC', () => {
    const smc = customMultusConfig({
      name: 'macvlan-conf',
      namespace: 'kube-system',
      config: { cniVersion: '1.0.0', name: 'x', type: 'bridge', ipam: { type: 'spiderpool' } },
    }) as { kind: string; metadata: unknown; spec: { cniType: string; customCNI: string } };
    expect(smc.kind).toBe('SpiderMultusConfig');
    expect(smc.metadata).toEqual({ name: 'macvlan-conf', namespace: 'kube-system' });
    expect(smc.spec.cniType).toBe('custom');
    expect(JSON.parse(smc.spec.customCNI)).toEqual({
      cniVersion: '1.0.0',
      name: 'macvlan-conf',
      type: 'bridge',
      ipam: { type: 'spiderpool' },
    });
  });
});

describe('seedMultusConfig', () => {
  it("fills the guide's master interface variable and keeps the rest", () => {
    expect(seedMultusConfig(SEED_SMC, 'lcabc123b0')).toEqual({
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderMultusConfig',
      metadata: { name: 'macvlan-conf', namespace: 'kube-system' },
      spec: { cniType: 'macvlan', macvlan: { master: ['lcabc123b0'] } },
    });
  });

  it('rejects a document that is not a SpiderMultusConfig', () => {
    expect(() => seedMultusConfig('kind: SpiderIPPool\n', 'br')).toThrow(InvalidTopologyError);
  });
});
