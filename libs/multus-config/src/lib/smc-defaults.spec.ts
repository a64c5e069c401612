import { SpiderMultusConfigSchema } from '@spiderpool/crd-types';
import { renderNad } from './nad-render.js';
import { defaultMultusConfig, type SmcObjectLike } from './smc-defaults.js';

const raw = (spec: Record<string, unknown>): SmcObjectLike & Record<string, unknown> => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderMultusConfig',
  metadata: { name: 'n', namespace: 'ns', annotations: { 'cni.spidernet.io/rdma-resource-inject': 'g' } },
  spec,
});

describe('defaultMultusConfig (SMC-M1..M5)', () => {
  it('defaults a missing cniType to custom without a coordinator', () => {
    const out = defaultMultusConfig(raw({ coordinator: { mode: 'auto' } }));
    expect(out.spec).toEqual({ cniType: 'custom', customCNI: '', enableCoordinator: false, chainCNIJsonData: [] });
  });

  it('fills sub-config and coordinator defaults, and copies injection annotations to labels', () => {
    const out = defaultMultusConfig(raw({ cniType: 'vlan', vlan: { master: ['eth0'] }, coordinator: { mode: 'disable' } }));
    expect(out.spec?.['vlan']).toEqual({
      master: ['eth0'],
      vlanMode: 'manual',
      vlanID: 0,
      rdmaResourceName: '',
      mtu: 0,
      ippools: { ipv4: [], ipv6: [] },
    });
    expect(out.spec?.['coordinator']).toMatchObject({ mode: 'disabled', tunePodRoutes: true, txQueueLen: 0 });
    expect(out.metadata?.labels).toEqual({ 'cni.spidernet.io/rdma-resource-inject': 'g' });
  });

  it('is idempotent and never shares default arrays between objects', () => {
    const a = defaultMultusConfig(raw({ cniType: 'macvlan', macvlan: { master: ['eth0'] }, coordinator: {} }));
    const b = defaultMultusConfig(raw({ cniType: 'macvlan', macvlan: { master: ['eth0'] }, coordinator: {} }));
    (a.spec?.['coordinator'] as { hijackCIDR: string[] }).hijackCIDR.push('10.0.0.0/8');
    expect((b.spec?.['coordinator'] as { hijackCIDR: string[] }).hijackCIDR).toEqual([]);
    expect(defaultMultusConfig(structuredClone(b))).toEqual(b);
  });
});

describe('renderNad', () => {
  it('renders the same NAD whether or not the webhook defaults were applied first', () => {
    for (const spec of [
      { cniType: 'macvlan', macvlan: { master: ['eth0'], vlanID: 5 } },
      { cniType: 'sriov', sriov: { resourceName: 'r', mtu: 9000 }, coordinator: { podCIDRType: 'auto' } },
      { cniType: 'vlan', vlan: { master: ['eth0', 'eth1'], bond: { name: 'bond0', mode: 1 } } },
    ]) {
      const plain = SpiderMultusConfigSchema.parse({ ...raw(structuredClone(spec)), metadata: { name: 'n', namespace: 'ns' } });
      const webhooked = SpiderMultusConfigSchema.parse({
        ...defaultMultusConfig(raw(structuredClone(spec))),
        metadata: { name: 'n', namespace: 'ns' },
      });
      expect(renderNad(webhooked)).toEqual(renderNad(plain));
    }
  });
});
