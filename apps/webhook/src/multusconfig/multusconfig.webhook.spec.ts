import { AdmissionHarness, verdict } from '../admission/admission-harness.fake.js';
import type { KubeObject } from '../admission/kind-webhook.js';
import { FakeClusterReader } from '../cluster/cluster-reader.fake.js';
import { multusConfigWebhook } from './multusconfig.module.js';

const smc = (spec: Record<string, unknown>, annotations?: Record<string, string>, name = 'macvlan-conf'): KubeObject => ({
  kind: 'SpiderMultusConfig',
  metadata: { name, namespace: 'kube-system', ...(annotations ? { annotations } : {}) },
  spec,
});
function setup() {
  const reader = new FakeClusterReader();
  return { reader, h: new AdmissionHarness(multusConfigWebhook(reader)) };
}
const RDMA = { 'cni.spidernet.io/rdma-resource-inject': 'rdma' };

describe('SpiderMultusConfig mutating webhook', () => {
  it('SMC-M1/M3/M4: custom by default, coordinator removed and disabled, chainCNIJsonData []', async () => {
    const out = await setup().h.mutate(smc({ enableCoordinator: true, coordinator: { mode: 'auto' } }));
    expect(out.spec).toEqual({ cniType: 'custom', customCNI: '', enableCoordinator: false, chainCNIJsonData: [] });
  });
  it('SMC-M2/M3: macvlan defaults and a fresh coordinator block', async () => {
    const out = await setup().h.mutate(smc({ cniType: 'macvlan', macvlan: { master: ['eth0'] } }));
    expect(out.spec).toEqual({
      cniType: 'macvlan',
      macvlan: { master: ['eth0'], vlanID: 0, mtu: 0, rdmaResourceName: '', ippools: { ipv4: [], ipv6: [] } },
      coordinator: { mode: 'auto', hijackCIDR: [], policyRoutes: [], vethLinkAddress: '', podMACPrefix: '', podDefaultRouteNIC: '', podRPFilter: 0, tunePodRoutes: true },
      chainCNIJsonData: [],
    });
  });
  it('SMC-M2: sriov keeps ippools and fills matchMasterSubnet; vlan auto mode gets no vlanID', async () => {
    const sriov = await setup().h.mutate(smc({ cniType: 'sriov', sriov: { resourceName: 'r', ippools: { ipv4: ['a'] } } }));
    expect(sriov.spec?.['sriov']).toEqual({ resourceName: 'r', ippools: { ipv4: ['a'], matchMasterSubnet: false }, vlanID: 0, mtu: 0, minTxRateMbps: 0, maxTxRateMbps: 0, rdmaIsolation: false });
    const vlan = await setup().h.mutate(smc({ cniType: 'vlan', vlan: { master: ['eth0'], vlanMode: 'auto' } }));
    expect(vlan.spec?.['vlan']).not.toHaveProperty('vlanID');
  });
  it('SMC-M3: a supplied coordinator gets its null fields filled', async () => {
    const out = await setup().h.mutate(smc({ cniType: 'ovs', ovs: { bridge: 'br0' }, coordinator: { podDefaultRouteNIC: 'net1', mode: 'disable' } }));
    expect(out.spec?.['coordinator']).toMatchObject({ mode: 'disabled', podDefaultRouteNIC: 'net1', tunePodRoutes: true, hijackCIDR: [] });
    expect(out.spec?.['ovs']).toEqual({ bridge: 'br0', vlan: 0, ippools: { ipv4: [], ipv6: [] } });
  });
  it('SMC-M5: inject annotations are copied to labels', async () => {
    const out = await setup().h.mutate(smc({ cniType: 'custom' }, RDMA));
    expect(out.metadata?.labels).toEqual(RDMA);
  });
});

describe('SpiderMultusConfig validating webhook', () => {
  const mac = (over: Record<string, unknown> = {}) => ({ cniType: 'macvlan', macvlan: { master: ['eth0'], ...over } });
  it.each<[string, Record<string, unknown>, Record<string, string> | undefined, string]>([
    ['SMC-V3 cni version', mac(), { 'multus.spidernet.io/cni-version': '0.2.0' }, '422 metadata.annotations:FieldValueInvalid'],
    ['SMC-V2 bad custom NAD name', mac(), { 'multus.spidernet.io/cr-name': 'Bad_Name' }, '422 metadata.annotations:FieldValueInvalid'],
    ['SMC-V5 macvlan missing', { cniType: 'macvlan' }, undefined, '422 spec.macvlanConfig:FieldValueRequired'],
    ['SMC-V5 macvlan vlanID', mac({ vlanID: 4095 }), undefined, '422 spec.macvlanConfig:FieldValueInvalid'],
    ['SMC-V5 macvlan matchMasterSubnet', mac({ ippools: { matchMasterSubnet: true } }), undefined, '422 spec.macvlanConfig:FieldValueInvalid'],
    ['SMC-V5 macvlan empty master', mac({ master: [] }), undefined, '422 spec.macvlanConfig:FieldValueInvalid'],
    ['SMC-V5 macvlan two masters no bond', mac({ master: ['eth0', 'eth1'] }), undefined, '422 spec.macvlanConfig:FieldValueInvalid'],
    ['SMC-V5 macvlan excl', { ...mac(), ipvlan: { master: ['eth0'] } }, undefined, '422 spec.cniType:FieldValueForbidden'],
    ['SMC-V5 macvlan rdma needs pools', mac({ rdmaResourceName: 'r' }), RDMA, '422 spec.macvlanConfig:FieldValueInvalid'],
    ['SMC-V5 macvlan rdma ok', mac({ rdmaResourceName: 'r', ippools: { ipv4: ['p'] } }), RDMA, 'allowed'],
    ['SMC-V5 ipvlan path', { cniType: 'ipvlan', ipvlan: { master: [] } }, undefined, '422 spec.ipvlanConfig:FieldValueInvalid'],
    ['SMC-V5 vlan manual without vlanID', { cniType: 'vlan', vlan: { master: ['eth0'], vlanMode: 'manual' } }, undefined, '422 spec.vlan:FieldValueInvalid'],
    ['SMC-V5 vlan auto with vlanID', { cniType: 'vlan', vlan: { master: ['eth0'], vlanMode: 'auto', vlanID: 5 } }, undefined, '422 spec.vlan:FieldValueInvalid'],
    ['SMC-V5 sriov resourceName', { cniType: 'sriov', sriov: { resourceName: '' } }, undefined, '422 spec.sriovConfig:FieldValueRequired'],
    ['SMC-V5 sriov min > max', { cniType: 'sriov', sriov: { resourceName: 'r', minTxRateMbps: 5, maxTxRateMbps: 0 } }, undefined, '422 spec.sriovConfig:FieldValueInvalid'],
    ['SMC-V5 ib-sriov resourceName', { cniType: 'ib-sriov', ibsriov: {} }, undefined, '422 spec.ibsriovConfig:FieldValueRequired'],
    ['SMC-V5 ipoib master', { cniType: 'ipoib', ipoib: { master: '' } }, undefined, '422 spec.ipoibConfig:FieldValueRequired'],
    ['SMC-V5 ovs rdma', { cniType: 'ovs', ovs: { bridge: 'br0' } }, RDMA, '422 spec.cniType:FieldValueForbidden'],
    ['SMC-V5 ovs vlan range', { cniType: 'ovs', ovs: { bridge: 'br0', vlan: 5000 } }, undefined, '422 spec.ovsConfig:FieldValueInvalid'],
    ['SMC-V5 ovs partial trunk (quirk 10)', { cniType: 'ovs', ovs: { bridge: 'br0', trunk: [{ maxID: 10 }] } }, undefined, '422 spec.ovsConfig:FieldValueInvalid'],
    ['SMC-V5 ovs trunk reversed', { cniType: 'ovs', ovs: { bridge: 'br0', trunk: [{ minID: 10, maxID: 5 }] } }, undefined, '422 spec.ovsConfig:FieldValueInvalid'],
    ['SMC-V5 ovs ok', { cniType: 'ovs', ovs: { bridge: 'br0', trunk: [{ minID: 5, maxID: 10 }, { id: 42 }] } }, undefined, 'allowed'],
    ['SMC-V5 custom with sub-config', { cniType: 'custom', macvlan: { master: ['eth0'] } }, undefined, '422 spec.cniType:FieldValueForbidden'],
    ['SMC-V5 custom bad JSON', { cniType: 'custom', customCNI: '{' }, undefined, '422 spec.customCniTypeConfig:FieldValueForbidden'],
    ['SMC-V5 custom empty ok', { cniType: 'custom', customCNI: '' }, undefined, 'allowed'],
    ['SMC-V6 coordinator checked', { ...mac(), coordinator: { podMACPrefix: '01:00' } }, undefined, '422 spec.podMACPrefix:FieldValueInvalid'],
    ['SMC-V7 chain entry without type', { ...mac(), chainCNIJsonData: ['{"name":"x"}'] }, undefined, '422 spec.chainCNIJsonData:FieldValueForbidden'],
    ['SMC-V7 chain ok', { ...mac(), chainCNIJsonData: ['{"type":"tuning"}'] }, undefined, 'allowed'],
  ])('%s', async (...[_n, spec, ann, want]) => {
    expect(verdict(await setup().h.create(smc(spec, ann)))).toBe(want);
  });

  it('SMC-V1: cr-name may not change or be added, may be removed', async () => {
    const { h } = setup();
    const a = smc(mac(), { 'multus.spidernet.io/cr-name': 'a' });
    expect(verdict(await h.update(a, smc(mac(), { 'multus.spidernet.io/cr-name': 'b' })))).toBe('422 metadata.annotations:FieldValueInvalid');
    expect(verdict(await h.update(smc(mac()), a))).toBe('422 metadata.annotations:FieldValueInvalid');
    expect(verdict(await h.update(a, smc(mac())))).toBe('allowed');
  });

  it('SMC-V2: a NAD owned by another SMC blocks; unowned or own NAD is fine', async () => {
    const { h, reader } = setup();
    reader.nads = [{ metadata: { name: 'macvlan-conf', namespace: 'kube-system', ownerReferences: [{ apiVersion: 'v', kind: 'SpiderMultusConfig', name: 'other', uid: 'u' }] } }];
    const r = await h.create(smc(mac()));
    expect(verdict(r)).toBe('422 metadata.annotations:FieldValueInvalid');
    expect(r.status?.message).toContain('managed by SpiderMultusConfig kube-system/other');
    reader.nads = [{ metadata: { name: 'macvlan-conf', namespace: 'kube-system' } }];
    expect(verdict(await h.create(smc(mac())))).toBe('allowed');
    reader.failWith = 'down';
    expect(verdict(await h.create(smc(mac())))).toBe('422 metadata.annotations:InternalError');
  });
});
