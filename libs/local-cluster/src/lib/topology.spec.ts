import { InvalidTopologyError } from './errors.js';
import { inSubnet, resolveTopology } from './topology.js';

const zones = [
  { name: 'subnet-6', subnet: '10.6.0.0/16', gateway: '10.6.0.1' },
  { name: 'subnet-7', subnet: '10.7.0.0/16', gateway: '10.7.0.1' },
];

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
      'a malformed subnet',
      { zones: [{ name: 'z', subnet: '10.6.0.0', gateway: '10.6.0.1' }], nodes: [{ name: 'a', zone: 'z' }] },
    ],
  ])('rejects %s', (_what, input) => {
    expect(() => resolveTopology(input)).toThrow(InvalidTopologyError);
  });
});
