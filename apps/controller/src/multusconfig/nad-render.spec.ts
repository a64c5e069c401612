import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpiderMultusConfigSchema, type SpiderMultusConfig } from '@spiderpool/crd-types';
import { InvalidSpecError } from './multusconfig.errors.js';
import { goJson, nadNameOf, renderNad } from '@spiderpool/multus-config';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');
/** `UPDATE_GOLDEN=1 nx run controller:test` rewrites the golden files (review the diff!). */
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** An SMC as the API server returns it: CRD structural defaults applied (zod defaults mirror them). */
function smc(name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): SpiderMultusConfig {
  return SpiderMultusConfigSchema.parse({
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderMultusConfig',
    metadata: { name, namespace: 'kube-system', ...(annotations ? { annotations } : {}) },
    spec,
  });
}

/** Golden cases: one per cniType and option combination (controller-and-chart.md §1.5). */
const CASES: Record<string, SpiderMultusConfig> = {
  // §1.5.5 worked examples
  'macvlan-single-master': smc('macvlan-ens192', { cniType: 'macvlan', macvlan: { master: ['ens192'] } }),
  'ipvlan-vlan-pool': smc('ipvlan-ens192', {
    cniType: 'ipvlan',
    ipvlan: { master: ['ens192'], vlanID: 100, ippools: { ipv4: ['v4-pool'] } },
  }),
  'macvlan-bond-vlan': smc('macvlan-bond', {
    cniType: 'macvlan',
    macvlan: { master: ['ens192', 'ens224'], bond: { name: 'bond0', mode: 1 }, vlanID: 100 },
  }),
  'vlan-manual': smc('vlan-100', { cniType: 'vlan', vlan: { master: ['ens192'], vlanID: 100 } }),
  'vlan-auto': smc('vlan-auto', { cniType: 'vlan', vlan: { master: ['ens192'], vlanMode: 'auto' } }),
  'sriov-rdma-mtu-chain': smc('sriov-rdma', {
    cniType: 'sriov',
    sriov: { resourceName: 'spidernet.io/sriov_netdevice', vlanID: 100, rdmaIsolation: true, mtu: 8000 },
    chainCNIJsonData: ['{"type":"tuning","sysctl":{"net.core.somaxconn":"4096"}}'],
  }),
  'ib-sriov': smc('ib-sriov', { cniType: 'ib-sriov', ibsriov: { resourceName: 'r' } }),
  'ovs-trunk-device': smc('ovs-br1', {
    cniType: 'ovs',
    ovs: { bridge: 'br1', vlan: 100, trunk: [{ minID: 200, maxID: 299 }, { id: 300 }], deviceID: '0000:af:00.1' },
  }),
  // option combinations
  'macvlan-disable-ipam': smc('macvlan-noipam', { cniType: 'macvlan', disableIPAM: true, macvlan: { master: ['eth0'] } }),
  'macvlan-no-coordinator': smc('macvlan-nocoord', {
    cniType: 'macvlan',
    enableCoordinator: false,
    macvlan: { master: ['eth0'], mtu: 1400 },
  }),
  'macvlan-cni-version-config-name': smc(
    'macvlan-annotated',
    { cniType: 'macvlan', macvlan: { master: ['eth0'], ippools: { ipv4: ['a', 'b'], ipv6: ['c'] } } },
    { 'multus.spidernet.io/cni-version': '1.0.0', 'cni.spidernet.io/cniconfig-name': 'my-net' },
  ),
  'macvlan-custom-nad-name': smc(
    'macvlan-custom',
    { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
    { 'multus.spidernet.io/cr-name': 'other-name' },
  ),
  'macvlan-coordinator-full': smc('macvlan-coord', {
    cniType: 'macvlan',
    macvlan: { master: ['eth0'] },
    coordinator: {
      mode: 'underlay',
      podCIDRType: 'cluster',
      podRPFilter: 2,
      hijackCIDR: ['10.96.0.0/12', '169.254.0.0/16'],
      policyRoutes: [{ dst: '10.0.0.0/8', gw: '172.18.0.1' }],
      podMACPrefix: '0a:1b',
      podDefaultRouteNIC: 'net1',
      vethLinkAddress: '169.254.100.1',
      vethMTU: 1500,
      txQueueLen: 1000,
      tunePodRoutes: false,
    },
  }),
  'macvlan-chain-html-escape': smc('macvlan-chain', {
    cniType: 'macvlan',
    macvlan: { master: ['eth0'] },
    chainCNIJsonData: ['{"type":"bandwidth","z":1,"a":{"y":2.5,"b":"<a&b>"}}', '{"type":"sbr"}'],
  }),
  'ipvlan-bond-no-vlan': smc('ipvlan-bond', {
    cniType: 'ipvlan',
    ipvlan: { master: ['eth1', 'eth2'], bond: { name: 'bond1', mode: 4, options: 'miimon=100' } },
  }),
  'vlan-bond': smc('vlan-bond', {
    cniType: 'vlan',
    vlan: { master: ['eth1', 'eth2'], bond: { name: 'bond0', mode: 0 }, vlanID: 0 },
  }),
  'sriov-match-master-subnet-rates': smc('sriov-rates', {
    cniType: 'sriov',
    sriov: {
      resourceName: 'spidernet.io/vf',
      minTxRateMbps: 100,
      maxTxRateMbps: 1000,
      ippools: { ipv4: ['v4'], matchMasterSubnet: true },
    },
  }),
  'ipoib': smc('ipoib', { cniType: 'ipoib', ipoib: { master: 'ib0', ippools: { ipv6: ['v6'] } } }),
  'ovs-plain': smc('ovs-plain', { cniType: 'ovs', ovs: { bridge: 'br0' } }),
  'custom': smc('custom', {
    cniType: 'custom',
    customCNI: '{ "cniVersion": "0.3.1", "name": "x", "type": "macvlan" }',
  }),
  'custom-empty': smc('custom-empty', { cniType: 'custom' }),
};

function c(name: string): SpiderMultusConfig {
  const found = CASES[name];
  if (!found) throw new Error(`no case ${name}`);
  return found;
}

describe('renderNad golden files', () => {
  for (const [name, input] of Object.entries(CASES)) {
    it(`${name}: spec.config matches golden/${name}.expected.json byte for byte`, () => {
      const file = join(GOLDEN_DIR, `${name}.expected.json`);
      const { config } = renderNad(input);
      if (UPDATE) writeFileSync(file, `${config}\n`);
      expect(existsSync(file)).toBe(true);
      expect(config).toBe(readFileSync(file, 'utf8').replace(/\n$/, ''));
    });
  }
});

describe('renderNad worked examples (controller-and-chart.md §1.5.5)', () => {
  const coord = '{"txQueueLen":0,"tunePodRoutes":true,"mode":"auto","type":"coordinator"}';

  it('example 1: single-master macvlan with the default coordinator entry', () => {
    expect(renderNad(c('macvlan-single-master')).config).toBe(
      '{"cniVersion":"0.3.1","name":"macvlan-ens192","plugins":[{"type":"macvlan","master":"ens192","mode":"bridge","mtu":0,"ipam":{"type":"spiderpool"}},' +
        coord +
        ']}',
    );
  });

  it('example 2: ipvlan with vlanID gets an ifacer entry first and a vlan sub-interface master', () => {
    const plugins = JSON.parse(renderNad(c('ipvlan-vlan-pool')).config).plugins;
    expect(JSON.stringify(plugins[0])).toBe('{"vlanID":100,"type":"ifacer","interfaces":["ens192"]}');
    expect(JSON.stringify(plugins[1])).toBe(
      '{"type":"ipvlan","master":"ens192.100","mtu":0,"ipam":{"type":"spiderpool","default_ipv4_ippool":["v4-pool"]}}',
    );
    expect(JSON.stringify(plugins[2])).toBe(coord);
  });

  it('example 3: bond + vlan', () => {
    const plugins = JSON.parse(renderNad(c('macvlan-bond-vlan')).config).plugins;
    expect(JSON.stringify(plugins[0])).toBe(
      '{"vlanID":100,"type":"ifacer","interfaces":["ens192","ens224"],"bond":{"name":"bond0","mode":1,"options":""}}',
    );
    expect(plugins[1].master).toBe('bond0.100');
  });

  it('example 4: vlan manual has vlanId, auto drops it', () => {
    expect(JSON.stringify(JSON.parse(renderNad(c('vlan-manual')).config).plugins[0])).toBe(
      '{"type":"vlan","master":"ens192","vlanMode":"manual","vlanId":100,"mtu":0,"ipam":{"type":"spiderpool"}}',
    );
    expect(JSON.parse(renderNad(c('vlan-auto')).config).plugins[0]).not.toHaveProperty('vlanId');
  });

  it('example 5: sriov order is main, rdma, chain, coordinator, tuning; resource annotation set', () => {
    const nad = renderNad(c('sriov-rdma-mtu-chain'));
    expect(nad.config).toBe(
      '{"cniVersion":"0.3.1","name":"sriov-rdma","plugins":[{"vlan":100,"min_tx_rate":0,"max_tx_rate":0,"type":"sriov","ipam":{"type":"spiderpool"}},' +
        '{"type":"rdma"},{"sysctl":{"net.core.somaxconn":"4096"},"type":"tuning"},' +
        coord +
        ',{"type":"tuning","mtu":8000}]}',
    );
    expect(nad.annotations['k8s.v1.cni.cncf.io/resourceName']).toBe('spidernet.io/sriov_netdevice');
  });

  it('example 6: ib-sriov main plugin', () => {
    expect(JSON.stringify(JSON.parse(renderNad(c('ib-sriov')).config).plugins[0])).toBe(
      '{"type":"ib-sriov","pkey":"","link_state":"enable","rdmaIsolation":true,"ibKubernetesEnabled":false,"ipam":{"type":"spiderpool"}}',
    );
  });

  it('example 7: ovs with trunk and deviceID, plus the ovs resource annotation', () => {
    const nad = renderNad(c('ovs-trunk-device'));
    expect(JSON.stringify(JSON.parse(nad.config).plugins[0])).toBe(
      '{"vlan":100,"type":"ovs","bridge":"br1","deviceID":"0000:af:00.1","ipam":{"type":"spiderpool"},"trunk":[{"minID":200,"maxID":299},{"id":300}]}',
    );
    expect(nad.annotations['k8s.v1.cni.cncf.io/resourceName']).toBe('ovs-cni.network.kubevirt.io/br1');
  });

  it('example 8: disableIPAM drops ipam, enableCoordinator=false drops coordinator, cni-version annotation wins', () => {
    expect(renderNad(c('macvlan-disable-ipam')).config).not.toContain('"ipam"');
    expect(renderNad(c('macvlan-no-coordinator')).config).not.toContain('coordinator');
    expect(renderNad(c('macvlan-cni-version-config-name')).config).toMatch(/^\{"cniVersion":"1\.0\.0","name":"my-net",/);
  });
});

describe('renderNad metadata', () => {
  it('targets the custom-name annotation, in the SMC namespace, and copies every SMC annotation', () => {
    const nad = renderNad(c('macvlan-custom-nad-name'));
    expect(nad).toMatchObject({ namespace: 'kube-system', name: 'other-name' });
    expect(nad.annotations).toEqual({ 'multus.spidernet.io/cr-name': 'other-name' });
    expect(JSON.parse(nad.config).name).toBe('other-name');
  });

  it('nadNameOf falls back to the SMC name', () => {
    expect(nadNameOf(c('macvlan-single-master'))).toBe('macvlan-ens192');
  });

  it('sriov overwrites a user-set resourceName annotation', () => {
    const input = smc('s', { cniType: 'sriov', sriov: { resourceName: 'real' } }, { 'k8s.v1.cni.cncf.io/resourceName': 'user' });
    expect(renderNad(input).annotations['k8s.v1.cni.cncf.io/resourceName']).toBe('real');
  });

  it('ovs without deviceID gets no resource annotation', () => {
    expect(renderNad(c('ovs-plain')).annotations).toEqual({});
  });

  it('custom keeps customCNI verbatim, and an empty one renders an empty config', () => {
    expect(renderNad(c('custom')).config).toBe('{ "cniVersion": "0.3.1", "name": "x", "type": "macvlan" }');
    expect(renderNad(c('custom-empty')).config).toBe('');
  });

  it('is independent of whether the mutating webhook filled its defaults', () => {
    const bare = c('macvlan-single-master');
    const defaulted = smc('macvlan-ens192', {
      cniType: 'macvlan',
      macvlan: { master: ['ens192'], vlanID: 0, mtu: 0, rdmaResourceName: '', ippools: { ipv4: [], ipv6: [] } },
      coordinator: { mode: 'auto', hijackCIDR: [], policyRoutes: [], vethLinkAddress: '', podMACPrefix: '', podDefaultRouteNIC: '' },
      chainCNIJsonData: [],
    });
    expect(renderNad(defaulted).config).toBe(renderNad(bare).config);
  });
});

describe('renderNad rejects input the webhook would reject', () => {
  it.each([
    ['missing sub-config', smc('x', { cniType: 'macvlan' }), 'spec.macvlan'],
    ['two masters without bond', smc('x', { cniType: 'ipvlan', ipvlan: { master: ['a', 'b'] } }), 'spec.ipvlan.bond'],
    ['empty master', smc('x', { cniType: 'macvlan', macvlan: { master: [] } }), 'spec.macvlan.master'],
    [
      'chain item not JSON',
      smc('x', { cniType: 'macvlan', macvlan: { master: ['a'] }, chainCNIJsonData: ['{'] }),
      'spec.chainCNIJsonData[0]',
    ],
    [
      'chain item not an object',
      smc('x', { cniType: 'macvlan', macvlan: { master: ['a'] }, chainCNIJsonData: ['[1]'] }),
      'spec.chainCNIJsonData[0]',
    ],
  ])('%s', (_label, input, path) => {
    let caught: unknown;
    try {
      renderNad(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidSpecError);
    expect((caught as InvalidSpecError).path).toBe(path);
    expect((caught as InvalidSpecError).code).toBe('INVALID_SPEC');
  });
});

describe('goJson', () => {
  it('escapes HTML characters like Go encoding/json', () => {
    expect(goJson({ a: '<b>&' })).toBe('{"a":"\\u003cb\\u003e\\u0026"}');
  });
});
