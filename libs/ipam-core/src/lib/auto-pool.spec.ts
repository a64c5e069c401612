import fc from 'fast-check';
import {
  applicationKey,
  AutoPoolIPsError,
  autoPoolLabels,
  autoPoolName,
  autoPoolPodAffinity,
  desiredAutoPoolSize,
  jobPods,
  parseApplicationKey,
  parseAutoPoolIPNumber,
  parseWorkloadSubnetConfig,
  planAutoPoolIPs,
} from './auto-pool.js';
import { InvalidSpecError } from './errors.js';
import { IPSet } from './ip-set.js';

const both = { enableIPv4: true, enableIPv6: true };

describe('auto pool naming and labels (ipam.md §7.1)', () => {
  it('builds auto{family}-{app}-{nic}-{uid suffix} in lower case', () => {
    expect(autoPoolName(4, 'Web-App', 'ETH0', '6f1c0e8e-1111-2222-3333-abcdef123456')).toBe('auto4-web-app-eth0-abcde');
    expect(autoPoolName(6, 'web', 'net1', 'abc')).toBe('auto6-web-net1-abc');
  });

  it('truncates the app name so the whole name fits 253 characters', () => {
    const name = autoPoolName(4, 'a'.repeat(300), 'eth0', 'x-12345678');
    expect(name.length).toBe(253);
    expect(name.endsWith('-eth0-12345')).toBe(true);
  });

  it('writes every owner label, the family label and the cidr label', () => {
    const labels = autoPoolLabels({
      app: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'web', uid: 'u-1' },
      subnetName: 'subnet-6',
      subnetCidr: '10.6.0.0/16',
      family: 4,
      nic: 'eth0',
      reclaim: true,
    });
    expect(labels).toEqual({
      'ipam.spidernet.io/owner-spider-subnet': 'subnet-6',
      'ipam.spidernet.io/owner-application-gv': 'apps_v1',
      'ipam.spidernet.io/owner-application-kind': 'Deployment',
      'ipam.spidernet.io/owner-application-namespace': 'ns',
      'ipam.spidernet.io/owner-application-name': 'web',
      'ipam.spidernet.io/owner-application-uid': 'u-1',
      'ipam.spidernet.io/interface': 'eth0',
      'ipam.spidernet.io/ip-version': 'IPv4',
      'ipam.spidernet.io/ippool-reclaim': 'true',
      'ipam.spidernet.io/ippool-cidr': '10-6-0-0-16',
    });
  });

  it('uses an empty api group for core kinds in the pod affinity', () => {
    expect(autoPoolPodAffinity({ apiVersion: 'v1', kind: 'Pod', namespace: 'n', name: 'p' })).toMatchObject({
      'ipam.spidernet.io/app-api-group': '',
      'ipam.spidernet.io/app-api-version': 'v1',
    });
  });

  it('round-trips application keys with and without an api group', () => {
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'ns', name: 'web' };
    const pod = { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'n' };
    expect(applicationKey(deploy)).toBe('apps_v1_Deployment_ns_web');
    expect(applicationKey(pod)).toBe('v1_Pod_ns_n');
    for (const app of [deploy, pod]) expect(parseApplicationKey(applicationKey(app))).toEqual(app);
    expect(parseApplicationKey('broken')).toBeUndefined();
  });
});

describe('workload annotations and desired size (ipam.md §2.1, §7.2)', () => {
  it('parses the single-NIC form with eth0 as default interface', () => {
    const cfg = parseWorkloadSubnetConfig({ 'ipam.spidernet.io/subnet': '{"ipv4":["s4","ignored"],"ipv6":["s6"]}' }, both);
    expect(cfg).toEqual({ items: [{ nic: 'eth0', ipv4Subnet: 's4', ipv6Subnet: 's6' }], reclaim: true });
  });

  it('prefers the multi-NIC form and drops disabled families', () => {
    const cfg = parseWorkloadSubnetConfig(
      {
        'ipam.spidernet.io/subnet': '{"ipv4":["x"]}',
        'ipam.spidernet.io/subnets': '[{"interface":"eth0","ipv4":["a"],"ipv6":["b"]},{"interface":"net1","ipv6":["c"]}]',
        'ipam.spidernet.io/ippool-ip-number': '+2',
        'ipam.spidernet.io/ippool-reclaim': 'F',
      },
      { enableIPv4: true, enableIPv6: false },
    );
    expect(cfg).toEqual({ items: [{ nic: 'eth0', ipv4Subnet: 'a' }], ipNumber: { flexible: true, count: 2 }, reclaim: false });
  });

  it.each([
    ['ipam.spidernet.io/subnets', '[{"interface":"eth0","ipv4":["a"]},{"interface":"eth0","ipv4":["b"]}]'],
    ['ipam.spidernet.io/subnets', '[{"interface":"eth0","ipv4":["a"]},{"interface":"net1","ipv4":["a"]}]'],
    ['ipam.spidernet.io/subnets', '[{"interface":"eth0"}]'],
    ['ipam.spidernet.io/subnet', '{"ipv4":[""]}'],
    ['ipam.spidernet.io/subnet', 'not json'],
  ])('rejects malformed %s %s', (key, value) => {
    expect(() => parseWorkloadSubnetConfig({ [key]: value }, both)).toThrow(InvalidSpecError);
  });

  it('rejects bad ip-number and reclaim values and accepts none', () => {
    expect(() => parseAutoPoolIPNumber('++1')).toThrow(InvalidSpecError);
    expect(() => parseAutoPoolIPNumber('-1')).toThrow(InvalidSpecError);
    expect(() =>
      parseWorkloadSubnetConfig({ 'ipam.spidernet.io/subnet': '{"ipv4":["a"]}', 'ipam.spidernet.io/ippool-reclaim': 'yes' }, both),
    ).toThrow(InvalidSpecError);
    expect(parseWorkloadSubnetConfig({}, both)).toBeUndefined();
  });

  it('computes fixed, flexible and default sizes', () => {
    expect(desiredAutoPoolSize({ replicas: 3, defaultRedundant: 1 })).toBe(4);
    expect(desiredAutoPoolSize({ replicas: 3, ipNumber: { flexible: false, count: 5 }, defaultRedundant: 1 })).toBe(5);
    expect(desiredAutoPoolSize({ replicas: 3, ipNumber: { flexible: true, count: 2 }, defaultRedundant: 1 })).toBe(5);
  });

  it.each([
    [undefined, undefined, 1],
    [3, undefined, 3],
    [0, undefined, 1],
    [undefined, 4, 4],
    [2, 5, 5],
    [2, 0, 1],
  ])('jobPods(%s, %s) = %s', (p, c, want) => {
    expect(jobPods(p, c)).toBe(want);
  });
});

describe('planAutoPoolIPs (ipam.md §7.3)', () => {
  const subnet = { family: 4 as const, subnetIPs: ['10.0.0.1-10.0.0.20'], subnetExcludeIPs: ['10.0.0.1'] };

  it('grows a new pool with the lowest free subnet IPs, skipping other pools and reserved IPs', () => {
    const plan = planAutoPoolIPs({
      ...subnet,
      poolName: 'p',
      desired: 3,
      controlled: new Map([['other', { ips: ['10.0.0.2-10.0.0.3'] }]]),
      reserved: IPSet.fromRanges(4, ['10.0.0.5']),
    });
    expect(plan).toEqual({ ips: ['10.0.0.4', '10.0.0.6-10.0.0.7'], changed: true, change: 'grow' });
  });

  it('keeps the record when the size is already right', () => {
    const plan = planAutoPoolIPs({ ...subnet, poolName: 'p', desired: 2, controlled: new Map([['p', { ips: ['10.0.0.8-10.0.0.9'] }]]) });
    expect(plan).toEqual({ ips: ['10.0.0.8-10.0.0.9'], changed: false, change: 'none' });
  });

  it('shrinks by dropping the lowest un-allocated IPs only', () => {
    const plan = planAutoPoolIPs({
      ...subnet,
      poolName: 'p',
      desired: 2,
      controlled: new Map([['p', { ips: ['10.0.0.8-10.0.0.11'] }]]),
      allocated: ['10.0.0.8'],
    });
    expect(plan.ips).toEqual(['10.0.0.8', '10.0.0.11']);
  });

  it('refuses to shrink below the allocated IPs', () => {
    expect(() =>
      planAutoPoolIPs({
        ...subnet,
        poolName: 'p',
        desired: 1,
        controlled: new Map([['p', { ips: ['10.0.0.8-10.0.0.9'] }]]),
        allocated: ['10.0.0.8', '10.0.0.9'],
      }),
    ).toThrow(AutoPoolIPsError);
  });

  it('fails when the subnet has too few free IPs', () => {
    const err = (() => {
      try {
        planAutoPoolIPs({ ...subnet, poolName: 'p', desired: 40, controlled: new Map() });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AutoPoolIPsError);
    expect((err as AutoPoolIPsError).code).toBe('SubnetIPsInsufficient');
  });

  it('repairs a subnet record that lost an allocated IP from the pool spec', () => {
    const plan = planAutoPoolIPs({
      ...subnet,
      poolName: 'p',
      desired: 2,
      controlled: new Map([['p', { ips: ['10.0.0.8-10.0.0.9'] }]]),
      poolIPs: ['10.0.0.12-10.0.0.13'],
      allocated: ['10.0.0.13'],
    });
    expect(plan).toEqual({ ips: ['10.0.0.12-10.0.0.13'], changed: true, change: 'repair' });
  });

  it('property: never hands out an IP of another pool, excluded or reserved; keeps allocated IPs; hits the size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 6 }),
        fc.subarray(['10.0.0.8', '10.0.0.9', '10.0.0.10', '10.0.0.11']),
        (desired, otherSize, allocated) => {
          const other = otherSize === 0 ? [] : [`10.0.0.2-10.0.0.${1 + otherSize}`];
          const input = {
            ...subnet,
            poolName: 'p',
            desired,
            controlled: new Map([
              ['p', { ips: ['10.0.0.8-10.0.0.11'] }],
              ['o', { ips: other }],
            ]),
            reserved: IPSet.fromRanges(4, ['10.0.0.15']),
            allocated,
          };
          let plan;
          try {
            plan = planAutoPoolIPs(input);
          } catch (e) {
            expect(e).toBeInstanceOf(AutoPoolIPsError);
            return;
          }
          const got = IPSet.fromRanges(4, plan.ips);
          expect(got.size).toBe(BigInt(desired));
          expect(got.overlaps(IPSet.fromRanges(4, ['10.0.0.1', '10.0.0.15', ...other]))).toBe(false);
          for (const ip of allocated) expect(got.containsSet(IPSet.fromRanges(4, [ip]))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
