import { hostLocalIpam, multusConf, networkAttachmentDefinition, zoneNetworkConfig } from './cni-conf.js';

const zone = {
  name: 'subnet-6',
  subnet: '10.6.0.0/16',
  gateway: '10.6.0.1',
  rangeStart: '10.6.168.60',
  rangeEnd: '10.6.168.69',
};

describe('CNI configs of the local cluster', () => {
  it('attaches the zone network to the zone bridge without making the host a gateway', () => {
    const conf = zoneNetworkConfig({
      name: 'lc-underlay',
      bridge: 'lca1b2c3b0',
      ipam: hostLocalIpam(zone, '/state/host-local'),
    });
    expect(conf).toMatchObject({ type: 'bridge', bridge: 'lca1b2c3b0', isGateway: false, ipMasq: false });
    expect(conf['ipam']).toEqual({
      type: 'host-local',
      dataDir: '/state/host-local',
      ranges: [
        [{ subnet: '10.6.0.0/16', gateway: '10.6.0.1', rangeStart: '10.6.168.60', rangeEnd: '10.6.168.69' }],
      ],
      routes: [{ dst: '0.0.0.0/0' }],
    });
  });

  it('uses a macvlan sub-interface of the zone bridge where the kernel has macvlan', () => {
    const conf = zoneNetworkConfig({
      name: 'macvlan-conf',
      bridge: 'lca1b2c3b0',
      ipam: { type: 'host-local' },
      plugin: 'macvlan',
    });
    expect(conf).toMatchObject({
      type: 'macvlan',
      master: 'lca1b2c3b0',
      mode: 'bridge',
      ipam: { type: 'host-local' },
    });
  });

  it('swaps the IPAM by config only', () => {
    const ipam = { type: 'spiderpool', default_ipv4_ippool: ['test-ippool-6'] };
    expect(zoneNetworkConfig({ name: 'n', bridge: 'b', ipam })['ipam']).toBe(ipam);
  });

  it('puts the delegate config in a NAD under the NAD name', () => {
    const nad = networkAttachmentDefinition({
      name: 'macvlan-conf',
      namespace: 'kube-system',
      config: zoneNetworkConfig({ name: 'other', bridge: 'b', ipam: { type: 'host-local' } }),
    }) as { metadata: unknown; spec: { config: string } };
    expect(nad.metadata).toEqual({ name: 'macvlan-conf', namespace: 'kube-system' });
    expect(JSON.parse(nad.spec.config)).toMatchObject({ name: 'macvlan-conf', type: 'bridge' });
  });

  it('makes Multus thin the entry plugin with per-run directories', () => {
    expect(
      multusConf({
        kubeconfig: '/k',
        clusterNetwork: 'lc-underlay',
        confDir: '/c',
        cniDir: '/cache',
        binDir: '/bin',
        logFile: '/l',
      }),
    ).toMatchObject({
      type: 'multus',
      kubeconfig: '/k',
      clusterNetwork: 'lc-underlay',
      multusNamespace: 'kube-system',
      confDir: '/c',
      cniDir: '/cache',
      binDir: '/bin',
    });
  });
});
