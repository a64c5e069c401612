import { InvalidSpecError, NoAvailablePoolError } from './errors.js';
import { selectorMatches } from './label-selector.js';
import type { SpiderIPPoolSpecView, SpiderIPPoolView } from './model.js';
import { matchPoolNamePattern } from './pool-name-pattern.js';
import { selectCandidatePools, type SelectionInput, type SelectionOutcome } from './pool-selection.js';

const pool = (
  name: string,
  spec: Partial<SpiderIPPoolSpecView> = {},
  meta: Partial<SpiderIPPoolView['metadata']> = {},
): SpiderIPPoolView => ({
  metadata: { name, ...meta },
  spec: { ipVersion: 4, subnet: '10.0.0.0/16', ...spec },
});

const v4a = pool('v4-a');
const v4b = pool('v4-b');
const v6a = pool('v6-a', { ipVersion: 6, subnet: 'fd00::/64' });
const def4 = pool('default-v4', { default: true });
const def6 = pool('default-v6', { ipVersion: 6, subnet: 'fd00::/64', default: true });

function input(over: {
  annotations?: Record<string, string>;
  nsAnnotations?: Record<string, string>;
  netconf?: SelectionInput['netconf'];
  pools?: SpiderIPPoolView[];
  nic?: string;
  config?: Partial<SelectionInput['config']>;
  podLabels?: Record<string, string>;
  nodeLabels?: Record<string, string> | undefined;
  hasController?: boolean;
  masterAddresses?: Record<string, string[]>;
}): SelectionInput {
  return {
    pod: {
      namespace: 'default',
      name: 'web-0',
      uid: 'uid-1',
      labels: over.podLabels ?? { app: 'web' },
      annotations: over.annotations ?? {},
      nodeName: 'node-1',
      hasController: over.hasController ?? true,
    },
    topController: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'default',
      name: 'web',
      uid: 'd-1',
    },
    nic: over.nic ?? 'eth0',
    namespace: { labels: { team: 'a' }, annotations: over.nsAnnotations ?? {} },
    node:
      'nodeLabels' in over
        ? over.nodeLabels === undefined
          ? undefined
          : { labels: over.nodeLabels }
        : { labels: { zone: 'z1' } },
    netconf: over.netconf ?? {},
    config: {
      enableIPv4: true,
      enableIPv6: true,
      enableSpiderSubnet: true,
      enableAutoPoolForApplication: true,
      agentNamespace: 'kube-system',
      ...over.config,
    },
    pools: over.pools ?? [v4a, v4b, v6a, def4, def6],
    ...(over.masterAddresses === undefined ? {} : { masterAddresses: new Map(Object.entries(over.masterAddresses)) }),
  };
}

/** nic → family → pool names, or the failure code. */
function summary(outcome: SelectionOutcome): unknown {
  if (outcome.kind === 'failed') return outcome.error.code;
  if (outcome.kind === 'subnet') return { subnet: outcome.requests };
  return {
    tier: outcome.tier,
    nics: Object.fromEntries(
      outcome.nics.map((n) => [
        n.nic,
        Object.fromEntries(n.families.map((f) => [f.family, f.pools.map((p) => p.metadata.name)])),
      ]),
    ),
  };
}

describe('selection tiers (ipam.md §3.3)', () => {
  it.each<[string, Parameters<typeof input>[0], unknown]>([
    [
      'cluster defaults, dual stack',
      {},
      { tier: 'cluster-default', nics: { eth0: { 4: ['default-v4'], 6: ['default-v6'] } } },
    ],
    [
      'netconf beats cluster defaults',
      { netconf: { defaultIPv4IPPool: ['v4-b'] } },
      { tier: 'netconf', nics: { eth0: { 4: ['v4-b'] } } },
    ],
    [
      'namespace v4 only yields no IPv6 even with netconf v6',
      {
        nsAnnotations: { 'ipam.spidernet.io/default-ipv4-ippool': '["v4-a"]' },
        netconf: { defaultIPv6IPPool: ['v6-a'] },
      },
      { tier: 'namespace', nics: { eth0: { 4: ['v4-a'] } } },
    ],
    [
      'ippool annotation, user order kept for ties',
      { annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["v4-b","v4-a"],"ipv6":["v6-a"]}' } },
      { tier: 'ippool', nics: { eth0: { 4: ['v4-b', 'v4-a'], 6: ['v6-a'] } } },
    ],
    [
      'wildcards expand in list order',
      { annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["v4-*"]}' } },
      { tier: 'ippool', nics: { eth0: { 4: ['v4-a', 'v4-b'] } } },
    ],
    [
      'ippools beats ippool and serves every NIC',
      {
        annotations: {
          'ipam.spidernet.io/ippools':
            '[{"interface":"eth0","ipv4":["v4-a"]},{"interface":"net1","ipv4":["v4-b"],"cleangateway":true}]',
          'ipam.spidernet.io/ippool': '{"ipv4":["v4-b"]}',
        },
      },
      { tier: 'ippools', nics: { eth0: { 4: ['v4-a'] }, net1: { 4: ['v4-b'] } } },
    ],
    [
      'ippools without interfaces names NICs by index',
      { annotations: { 'ipam.spidernet.io/ippools': '[{"ipv4":["v4-a"]},{"ipv6":["v6-a"]}]' } },
      { tier: 'ippools', nics: { 0: { 4: ['v4-a'] }, 1: { 6: ['v6-a'] } } },
    ],
    [
      'disabled family dropped',
      { config: { enableIPv6: false } },
      { tier: 'cluster-default', nics: { eth0: { 4: ['default-v4'] } } },
    ],
    ['no rule at all', { pools: [v4a] }, 'NoAvailablePool'],
    ['malformed ippool annotation', { annotations: { 'ipam.spidernet.io/ippool': '{ipv4' } }, 'InvalidSpec'],
    [
      'malformed namespace default',
      { nsAnnotations: { 'ipam.spidernet.io/default-ipv4-ippool': 'v4-a' } },
      'InvalidSpec',
    ],
    [
      'duplicate pool',
      { annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["v4-a","v4-a"]}' } },
      'InvalidSpec',
    ],
    [
      'mixed named/unnamed ippools items',
      {
        annotations: {
          'ipam.spidernet.io/ippools': '[{"interface":"eth0","ipv4":["v4-a"]},{"ipv4":["v4-b"]}]',
        },
      },
      'InvalidSpec',
    ],
    [
      'current NIC missing from named ippools',
      { nic: 'net2', annotations: { 'ipam.spidernet.io/ippools': '[{"interface":"eth0","ipv4":["v4-a"]}]' } },
      'InvalidSpec',
    ],
    [
      'subnet annotation → tier 1 request',
      {
        annotations: {
          'ipam.spidernet.io/subnet': '{"ipv4":["subnet-4"]}',
          'ipam.spidernet.io/ippool-ip-number': '+1',
        },
      },
      {
        subnet: [
          { nic: 'eth0', ipv4Subnet: 'subnet-4', ipNumber: { flexible: true, count: 1 }, reclaim: true },
        ],
      },
    ],
    [
      'subnet annotation ignored when the feature is off',
      {
        annotations: { 'ipam.spidernet.io/subnet': '{"ipv4":["subnet-4"]}' },
        config: { enableSpiderSubnet: false },
      },
      { tier: 'cluster-default', nics: { eth0: { 4: ['default-v4'], 6: ['default-v6'] } } },
    ],
    [
      'subnet annotation with auto pools disabled',
      {
        annotations: { 'ipam.spidernet.io/subnet': '{"ipv4":["s"]}' },
        config: { enableAutoPoolForApplication: false },
      },
      'InvalidSpec',
    ],
    [
      'subnet annotation on an orphan pod',
      { annotations: { 'ipam.spidernet.io/subnet': '{"ipv4":["s"]}' }, hasController: false },
      'InvalidSpec',
    ],
  ])('%s', (_name, over, expected) => {
    expect(summary(selectCandidatePools(input(over)))).toEqual(expected);
  });
});

describe('pool filters (ipam.md §3.4)', () => {
  const only = (p: SpiderIPPoolView, over: Parameters<typeof input>[0] = {}) =>
    selectCandidatePools(
      input({
        ...over,
        pools: [p],
        annotations: { 'ipam.spidernet.io/ippool': `{"ipv4":["${p.metadata.name}"]}`, ...over.annotations },
      }),
    );
  const reasonOf = (outcome: SelectionOutcome): string | undefined =>
    outcome.kind === 'failed' && outcome.error instanceof NoAvailablePoolError
      ? outcome.error.rejections[0]?.reason
      : undefined;

  it.each<[string, SpiderIPPoolView, Parameters<typeof input>[0], string | undefined]>([
    ['terminating', pool('p', {}, { deletionTimestamp: '2024-01-01T00:00:00Z' }), {}, 'Terminating'],
    ['disabled', pool('p', { disable: true }), {}, 'Disabled'],
    ['wrong family', pool('p', { ipVersion: 6, subnet: 'fd00::/64' }), {}, 'IPVersionMismatch'],
    ['nodeName mismatch', pool('p', { nodeName: ['node-2'] }), {}, 'NodeNotMatched'],
    [
      'nodeName beats nodeAffinity',
      pool('p', { nodeName: ['node-1'], nodeAffinity: { matchLabels: { zone: 'zz' } } }),
      {},
      undefined,
    ],
    [
      'nodeAffinity mismatch',
      pool('p', { nodeAffinity: { matchLabels: { zone: 'z2' } } }),
      {},
      'NodeNotMatched',
    ],
    [
      'node unreadable',
      pool('p', { nodeAffinity: { matchLabels: { zone: 'z1' } } }),
      { nodeLabels: undefined },
      'NodeNotMatched',
    ],
    ['namespaceName mismatch', pool('p', { namespaceName: ['other'] }), {}, 'NamespaceNotMatched'],
    [
      'namespaceAffinity NotIn',
      pool('p', {
        namespaceAffinity: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] },
      }),
      {},
      'NamespaceNotMatched',
    ],
    ['podAffinity match', pool('p', { podAffinity: { matchLabels: { app: 'web' } } }), {}, undefined],
    ['podAffinity mismatch', pool('p', { podAffinity: { matchLabels: { app: 'db' } } }), {}, 'PodNotMatched'],
    [
      'auto pool of another app',
      pool(
        'p',
        { podAffinity: { matchLabels: { 'ipam.spidernet.io/app-name': 'other' } } },
        { labels: { 'ipam.spidernet.io/owner-application-name': 'other' } },
      ),
      {},
      'PodNotMatched',
    ],
    ['multusName without default network', pool('p', { multusName: ['macvlan'] }), {}, 'ClusterNetworkUnset'],
    [
      'multusName matches the default network (bare name → agent namespace)',
      pool('p', { multusName: ['macvlan'] }),
      { annotations: { 'v1.multus-cni.io/default-network': 'kube-system/macvlan' } },
      undefined,
    ],
    [
      'multusName mismatch',
      pool('p', { multusName: ['kube-system/ipvlan'] }),
      { annotations: { 'v1.multus-cni.io/default-network': 'kube-system/macvlan' } },
      'MultusNotMatched',
    ],
    [
      'multusName for net1 from k8s.v1.cni.cncf.io/networks',
      pool('p', { multusName: ['default/sriov'] }),
      { nic: 'net1', annotations: { 'k8s.v1.cni.cncf.io/networks': 'sriov,kube-system/macvlan' } },
      undefined,
    ],
    ['pool without multusName needs no default network', pool('p'), {}, undefined],
    [
      'match_master_subnet without master addresses',
      pool('p'),
      { netconf: { matchMasterSubnet: true } },
      'MasterSubnetNotMatched',
    ],
    [
      'match_master_subnet with a master address inside the subnet',
      pool('p'),
      { netconf: { matchMasterSubnet: true }, masterAddresses: { eth0: ['192.168.1.5/24', '10.0.3.4/16'] } },
      undefined,
    ],
    [
      'match_master_subnet with master addresses outside the subnet',
      pool('p'),
      { netconf: { matchMasterSubnet: true }, masterAddresses: { eth0: ['10.1.0.1/16', 'fd00::1/64'] } },
      'MasterSubnetNotMatched',
    ],
  ])('%s', (_name, p, over, reason) => {
    const outcome = only(p, over);
    if (reason === undefined) expect(outcome.kind).toBe('pools');
    else expect(reasonOf(outcome)).toBe(reason);
  });

  it('skips a missing pool with a NotFound reason and orders by affinity, ties in user order', () => {
    const pA = pool('a');
    const pB = pool('b', { nodeName: ['node-1'] });
    const pC = pool('c');
    const outcome = selectCandidatePools(
      input({
        pools: [pA, pB, pC],
        annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["c","missing","a","b"]}' },
      }),
    );
    expect(summary(outcome)).toEqual({ tier: 'ippool', nics: { eth0: { 4: ['b', 'c', 'a'] } } });
    if (outcome.kind === 'pools') {
      expect(outcome.nics[0]?.families[0]?.rejections).toEqual([
        { pool: 'missing', reason: 'NotFound', detail: 'IPPool missing does not exist' },
      ]);
    }
  });

  it('lists every rejected pool when all are filtered out', () => {
    const outcome = selectCandidatePools(
      input({
        pools: [pool('x', { disable: true }), pool('y', { nodeName: ['n9'] })],
        annotations: { 'ipam.spidernet.io/ippool': '{"ipv4":["x","y"]}' },
      }),
    );
    expect(outcome.kind === 'failed' && outcome.error).toBeInstanceOf(NoAvailablePoolError);
    if (outcome.kind === 'failed' && outcome.error instanceof NoAvailablePoolError) {
      expect(outcome.error.rejections.map((r) => [r.pool, r.reason])).toEqual([
        ['x', 'Disabled'],
        ['y', 'NodeNotMatched'],
      ]);
    }
  });
});

describe('label selectors', () => {
  it.each<[Parameters<typeof selectorMatches>[0], boolean]>([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'db' } }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'web'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
  ])('%j → %s', (selector, expected) => {
    expect(selectorMatches(selector, { app: 'web' })).toBe(expected);
  });

  it('rejects invalid selectors', () => {
    expect(() =>
      selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, {}),
    ).toThrow(InvalidSpecError);
    expect(() =>
      selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, {}),
    ).toThrow(InvalidSpecError);
  });

  it.each([
    ['v4-*', 'v4-a', true],
    ['v4-?', 'v4-ab', false],
    ['pool-[ab]', 'pool-b', true],
    ['pool-[^ab]', 'pool-b', false],
    ['pool-[a-c]x', 'pool-bx', true],
    ['*', 'anything', true],
  ])('glob %s vs %s → %s', (pattern, name, expected) => {
    expect(matchPoolNamePattern(pattern, name)).toBe(expected);
  });
});
