import { InvalidTopologyError } from './errors.js';
import { hasIPv6, inSubnet, resolveTopology, zoneGatewayAddresses } from './topology.js';

const subnet6 = { name: 'subnet-6', subnet: '10.6.0.0/16', gateway: '10.6.0.1' };
const zones = [subnet6, { name: 'subnet-7', subnet: '10.7.0.0/16', gateway: '10.7.0.1' }];

describe('resolveTopology', () => {
  it('resolves zone indexes and keeps explicit InternalIPs', () => {
    const { nodes } = resolveTopology({
      zones,
      nodes: [
        {
          name: 'controller-node-1',
          zone: 'subnet-6',
          labels: { 'node-subnet': 'subnet-6' },
          internalIP: '10.6.168.71',
        },
        { name: 'worker-node-1', zone: 'subnet-7' },
      ],
    });
    expect(nodes.map((n) => [n.name, n.zoneIndex, n.internalIP])).toEqual([
      ['controller-node-1', 0, '10.6.168.71'],
      ['worker-node-1', 1, '10.7.255.254'],
    ]);
    expect(nodes[1]?.labels).toEqual({});
  });

  it('gives nodes of one zone distinct default InternalIPs inside the subnet', () => {
    const { nodes } = resolveTopology({
      zones,
      nodes: [1, 2, 3].map((i) => ({ name: `n${i}`, zone: 'subnet-6' })),
    });
    const ips = nodes.map((n) => n.internalIP);
    expect(new Set(ips).size).toBe(3);
    for (const ip of ips) expect(inSubnet(ip, '10.6.0.0/16')).toBe(true);
  });

  it.each([
    ['an unknown zone', { zones, nodes: [{ name: 'a', zone: 'nope' }] }],
    [
      'a duplicate node',
      {
        zones,
        nodes: [
          { name: 'a', zone: 'subnet-6' },
          { name: 'a', zone: 'subnet-7' },
        ],
      },
    ],
    [
      'a gateway outside its subnet',
      {
        zones: [{ name: 'z', subnet: '10.6.0.0/16', gateway: '10.7.0.1' }],
        nodes: [{ name: 'a', zone: 'z' }],
      },
    ],
    [
      'an extra subnet whose gateway is outside it',
      {
        zones: [{ ...subnet6, extraSubnets: [{ subnet: '172.31.32.0/24', gateway: '172.31.33.1' }] }],
        nodes: [{ name: 'a', zone: 'subnet-6' }],
      },
    ],
    [
      'an extra subnet mixing IPv4 and IPv6',
      {
        zones: [{ ...subnet6, extraSubnets: [{ subnet: '2406:da1e:c4:ed01::/64', gateway: '172.31.16.1' }] }],
        nodes: [{ name: 'a', zone: 'subnet-6' }],
      },
    ],
    [
      'a malformed subnet',
      { zones: [{ name: 'z', subnet: '10.6.0.0', gateway: '10.6.0.1' }], nodes: [{ name: 'a', zone: 'z' }] },
    ],
  ])('rejects %s', (_what, input) => {
    expect(() => resolveTopology(input)).toThrow(InvalidTopologyError);
  });
});

describe('zoneGatewayAddresses / hasIPv6', () => {
  const dual = {
    name: 'ens5',
    subnet: '172.31.16.0/20',
    gateway: '172.31.16.1',
    extraSubnets: [{ subnet: '2406:da1e:c4:ed01::/64', gateway: '2406:da1e:c4:ed01::1' }],
  };

  it('lists the primary gateway first, then the extra subnets', () => {
    expect(zoneGatewayAddresses(dual)).toEqual(['172.31.16.1/20', '2406:da1e:c4:ed01::1/64']);
    expect(zoneGatewayAddresses(subnet6)).toEqual(['10.6.0.1/16']);
  });

  it('tells whether any zone carries IPv6', () => {
    expect(hasIPv6(zones)).toBe(false);
    expect(hasIPv6([...zones, dual])).toBe(true);
  });
});
