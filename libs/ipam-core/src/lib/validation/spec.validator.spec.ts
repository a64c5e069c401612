import { validateIPPoolSpec, validateReservedIPSpec, validateSubnetSpec } from './spec.validator.js';

const flags = { enableIPv4: true, enableIPv6: true };

describe('validateIPPoolSpec (crds.md §2.6)', () => {
  it('accepts the seed AWS pools unchanged', () => {
    expect(
      validateIPPoolSpec(
        {
          ipVersion: 6,
          subnet: '2406:da1e:c4:ed01::/64',
          ips: ['2406:da1e:c4:ed01:c57d::0-2406:da1e:c4:ed01:c57d::f'],
          gateway: '2406:da1e:c4:ed01::1',
        },
        flags,
      ),
    ).toEqual([]);
    expect(
      validateIPPoolSpec(
        {
          ipVersion: 4,
          subnet: '172.31.16.0/20',
          ips: ['172.31.28.16-172.31.28.31'],
          gateway: '172.31.16.1',
        },
        flags,
      ),
    ).toEqual([]);
  });

  it.each<[string, Parameters<typeof validateIPPoolSpec>[0], string, string]>([
    ['missing ipVersion', { subnet: '10.0.0.0/8' }, 'spec.ipVersion', 'Invalid'],
    ['unsupported ipVersion', { ipVersion: 5, subnet: '10.0.0.0/8' }, 'spec.ipVersion', 'NotSupported'],
    ['bad CIDR', { ipVersion: 4, subnet: '10.0.0.0/33' }, 'spec.subnet', 'Invalid'],
    ['family mismatch', { ipVersion: 6, subnet: '10.0.0.0/8' }, 'spec.subnet', 'Invalid'],
    ['non-canonical subnet', { ipVersion: 4, subnet: '10.1.0.0/8' }, 'spec.subnet', 'Invalid'],
    ['non-canonical IPv6 subnet', { ipVersion: 6, subnet: 'FD00::/64' }, 'spec.subnet', 'Invalid'],
    [
      'ips outside subnet',
      { ipVersion: 4, subnet: '10.0.0.0/24', ips: ['10.0.1.1'] },
      'spec.subnet',
      'Invalid',
    ],
    [
      'reversed range',
      { ipVersion: 4, subnet: '10.0.0.0/24', ips: ['10.0.0.9-10.0.0.1'] },
      'spec.subnet',
      'Invalid',
    ],
    [
      'overlapping ips',
      { ipVersion: 4, subnet: '10.0.0.0/24', ips: ['10.0.0.1-10.0.0.5', '10.0.0.5'] },
      'spec.subnet',
      'Invalid',
    ],
    [
      'excludeIPs outside subnet',
      { ipVersion: 4, subnet: '10.0.0.0/24', excludeIPs: ['10.0.2.1'] },
      'spec.subnet',
      'Invalid',
    ],
    [
      'gateway outside subnet',
      { ipVersion: 4, subnet: '10.0.0.0/24', gateway: '10.0.1.1' },
      'spec.gateway',
      'Invalid',
    ],
    [
      'gateway inside ips (numeric compare)',
      { ipVersion: 6, subnet: 'fd00::/64', ips: ['fd00::01'], gateway: 'fd00::1' },
      'spec.ips[0]',
      'Invalid',
    ],
    [
      'default route',
      { ipVersion: 4, subnet: '10.0.0.0/24', routes: [{ dst: '0.0.0.0/0', gw: '10.0.0.1' }] },
      'spec.routes[0].dst',
      'Invalid',
    ],
    [
      'duplicate route',
      {
        ipVersion: 4,
        subnet: '10.0.0.0/24',
        routes: [
          { dst: '10.9.0.0/16', gw: '10.0.0.1' },
          { dst: '10.9.0.0/16', gw: '10.0.0.2' },
        ],
      },
      'spec.routes[1].dst',
      'Invalid',
    ],
    [
      'route gw outside subnet',
      { ipVersion: 4, subnet: '10.0.0.0/24', routes: [{ dst: '10.9.0.0/16', gw: '10.1.0.1' }] },
      'spec.routes[0].gw',
      'Invalid',
    ],
    [
      'empty podAffinity',
      { ipVersion: 4, subnet: '10.0.0.0/24', podAffinity: {} },
      'spec.podAffinity',
      'Invalid',
    ],
  ])('%s → %s %s', (_name, spec, path, type) => {
    expect(validateIPPoolSpec(spec, flags)[0]).toMatchObject({ path, type });
  });

  it('accepts an excluded gateway and rejects a disabled family', () => {
    expect(
      validateIPPoolSpec(
        {
          ipVersion: 4,
          subnet: '10.0.0.0/24',
          ips: ['10.0.0.1-10.0.0.9'],
          excludeIPs: ['10.0.0.1'],
          gateway: '10.0.0.1',
        },
        flags,
      ),
    ).toEqual([]);
    expect(
      validateIPPoolSpec({ ipVersion: 6, subnet: 'fd00::/64' }, { enableIPv4: true, enableIPv6: false }),
    ).toEqual([{ path: 'spec.ipVersion', type: 'Forbidden', detail: 'IPv6 is disabled' }]);
  });

  it('appends podAffinity errors to the spec chain; auto pools only allow the app keys', () => {
    const errors = validateIPPoolSpec(
      {
        ipVersion: 4,
        subnet: '10.0.0.0/24',
        gateway: '10.0.1.1',
        podAffinity: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      },
      flags,
    );
    expect(errors.map((e) => e.path)).toEqual([
      'spec.gateway',
      'spec.podAffinity.matchExpressions[0].values',
    ]);
    const auto = validateIPPoolSpec(
      {
        ipVersion: 4,
        subnet: '10.0.0.0/24',
        podAffinity: { matchLabels: { 'ipam.spidernet.io/app-name': 'x', extra: 'y' } },
      },
      flags,
      { 'ipam.spidernet.io/owner-application-name': 'x' },
    );
    expect(auto).toHaveLength(1);
    expect(auto[0]).toMatchObject({ path: 'spec.podAffinity', type: 'Invalid', value: 'extra' });
  });
});

describe('validateSubnetSpec (crds.md §3.6) and validateReservedIPSpec (§4.4)', () => {
  it('reports range errors at their index', () => {
    expect(
      validateSubnetSpec({ ipVersion: 4, subnet: '10.0.0.0/24', ips: ['10.0.0.1', '10.0.1.1'] }, flags)[0],
    ).toMatchObject({
      path: 'spec.ips[1]',
    });
    expect(
      validateSubnetSpec(
        { ipVersion: 4, subnet: '10.0.0.0/24', ips: ['10.0.0.1-10.0.0.9'], gateway: '10.0.0.1' },
        flags,
      )[0],
    ).toMatchObject({
      path: 'spec.ips[0]',
    });
    expect(
      validateSubnetSpec({ ipVersion: 4, subnet: '10.0.0.0/24', ips: ['10.0.0.2-10.0.0.9'] }, flags),
    ).toEqual([]);
  });

  it('checks reserved IPs', () => {
    expect(validateReservedIPSpec({ ips: ['10.0.0.1'] }, flags)[0]?.path).toBe('spec.ipVersion');
    expect(validateReservedIPSpec({ ipVersion: 4, ips: ['10.0.0.1', 'fd00::1'] }, flags)[0]?.path).toBe(
      'spec.ips[1]',
    );
    expect(validateReservedIPSpec({ ipVersion: 4, ips: [] }, flags)).toEqual([]);
  });
});
