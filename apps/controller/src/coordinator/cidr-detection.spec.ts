import {
  calicoOverlayCidrs,
  ciliumOverlayCidrs,
  DetectionError,
  detectPodCIDRType,
  isCidr,
  parseKcmPod,
  parseKubeadmConfig,
  podCIDRTypeOfCni,
  primaryCniConfName,
} from './cidr-detection.js';

describe('isCidr', () => {
  it.each([
    ['10.244.64.0/18', true],
    ['10.244.64.1/18', true],
    ['fd00::/64', true],
    ['10.0.0.0', false],
    ['10.0.0.0/33', false],
    ['fd00::/129', false],
    ['x/8', false],
    ['10.0.0.0/', false],
  ])('%s → %s', (text, ok) => expect(isCidr(text)).toBe(ok));
});

describe('primaryCniConfName / podCIDRTypeOfCni / detectPodCIDRType', () => {
  it.each([
    [['10-calico.conflist', '00-multus.conf', '05-cilium.conf'], '05-cilium.conf'],
    [['00-multus.conf', 'a.json', 'z.conflist'], 'z.conflist'],
    [['a.json'], undefined],
    [[], undefined],
  ])('primary of %j is %s', (names, want) => expect(primaryCniConfName(names)).toBe(want));

  it.each([
    ['calico', 'calico'],
    ['k8s-pod-network', 'calico'],
    ['cilium', 'cilium'],
    ['flannel', 'cluster'],
    ['cbr0', 'none'],
    ['', 'none'],
  ])('network %s → %s', (name, want) => expect(podCIDRTypeOfCni(name)).toBe(want));

  it('reads the name of the primary config; no config → none; bad JSON → DetectionError', () => {
    expect(detectPodCIDRType([{ name: '10-flannel.conflist', content: '{"name":"flannel","plugins":[]}' }])).toBe('cluster');
    expect(detectPodCIDRType([])).toBe('none');
    expect(() => detectPodCIDRType([{ name: '10-x.conf', content: '{' }])).toThrow(DetectionError);
  });
});

describe('parseKubeadmConfig', () => {
  it.each([
    [
      'seed 004',
      'networking:\n  podSubnet: 10.244.64.0/18\n  serviceSubnet: 10.233.0.0/18\n',
      { podCIDR: ['10.244.64.0/18'], serviceCIDR: ['10.233.0.0/18'] },
    ],
    [
      'dual stack, spaces, invalid entries dropped',
      'networking:\n  podSubnet:   10.244.0.0/16,fd00::/48,bogus\n  serviceSubnet: 10.96.0.0/12\n',
      { podCIDR: ['10.244.0.0/16', 'fd00::/48'], serviceCIDR: ['10.96.0.0/12'] },
    ],
    ['keys missing', 'networking: {}\n', { podCIDR: [], serviceCIDR: [] }],
  ])('%s', (_label, text, want) => expect(parseKubeadmConfig({ ClusterConfiguration: text })).toEqual(want));

  it('throws when ClusterConfiguration is missing', () => {
    expect(() => parseKubeadmConfig({ other: 'x' })).toThrow(DetectionError);
  });
});

describe('parseKcmPod', () => {
  it.each([
    [
      'flags in command',
      { command: ['kube-controller-manager', '--cluster-cidr=10.244.0.0/16', '--service-cluster-ip-range=10.96.0.0/12'] },
      { podCIDR: ['10.244.0.0/16'], serviceCIDR: ['10.96.0.0/12'] },
    ],
    [
      'flags in args, dual stack',
      { command: ['kube-controller-manager'], args: ['--cluster-cidr=10.244.0.0/16,fd00::/48', '--service-cluster-ip-range=10.96.0.0/12'] },
      { podCIDR: ['10.244.0.0/16', 'fd00::/48'], serviceCIDR: ['10.96.0.0/12'] },
    ],
    [
      'flag inside a shell line',
      { command: ['sh', '-c', 'exec kcm --cluster-cidr=10.1.0.0/16'] },
      { podCIDR: ['10.1.0.0/16'], serviceCIDR: [] },
    ],
    ['no flags', { command: ['kcm'] }, { podCIDR: [], serviceCIDR: [] }],
  ])('%s', (_label, container, want) => expect(parseKcmPod({ spec: { containers: [container] } })).toEqual(want));
});

describe('calicoOverlayCidrs', () => {
  it('keeps enabled, non-deleting pools, oldest first', () => {
    expect(
      calicoOverlayCidrs([
        { metadata: { name: 'b', creationTimestamp: '2024-01-02T00:00:00Z' }, spec: { cidr: '10.2.0.0/16' } },
        { metadata: { name: 'a', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { cidr: '10.1.0.0/16' } },
        { metadata: { name: 'off', creationTimestamp: '2024-01-01T00:00:00Z' }, spec: { cidr: '10.3.0.0/16', disabled: true } },
        { metadata: { name: 'gone', deletionTimestamp: '2024-01-03T00:00:00Z' }, spec: { cidr: '10.4.0.0/16' } },
      ]),
    ).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
  });
});

describe('ciliumOverlayCidrs', () => {
  it.each([
    ['cluster-pool', { ipam: 'cluster-pool', 'cluster-pool-ipv4-cidr': ' 10.0.0.0/8 ', 'cluster-pool-ipv6-cidr': 'fd00::/104' }, undefined, ['10.0.0.0/8', 'fd00::/104']],
    ['cluster-pool without the pool CRD', { ipam: 'cluster-pool-v2beta', 'cluster-pool-ipv4-cidr': '10.0.0.0/8' }, undefined, ['10.0.0.0/8']],
    ['kubernetes', { ipam: 'kubernetes' }, undefined, ['10.244.0.0/16']],
    [
      'multi-pool',
      { ipam: 'multi-pool' },
      [{ metadata: { name: 'p' }, spec: { ipv4: { cidrs: ['10.10.0.0/16'] }, ipv6: { cidrs: ['fd10::/64'] } } }],
      ['10.10.0.0/16', 'fd10::/64'],
    ],
  ])('%s', (_label, data, pools, want) => expect(ciliumOverlayCidrs(data, pools, ['10.244.0.0/16'])).toEqual(want));

  it.each([
    ['multi-pool without pools', { ipam: 'multi-pool' }, /multi-pool feature is unavailable/],
    ['unsupported mode', { ipam: 'eni' }, /unsupported Cilium IPAM mode: eni/],
    ['invalid cidr', { ipam: 'cluster-pool', 'cluster-pool-ipv4-cidr': 'nope' }, /invalid cluster-pool-ipv4-cidr/],
  ])('%s → error', (_label, data, re) => expect(() => ciliumOverlayCidrs(data, undefined, [])).toThrow(re));
});
