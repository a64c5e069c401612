import type { IpamAddResponse } from '@spiderpool/agent-api';
import { FakeNeighbourProbe } from '@spiderpool/netlink';
import pino from 'pino';
import { FakeAgentClient } from '../agent-client/agent-client.fake.js';
import {
  AgentProtocolError,
  AgentRejectedError,
  AgentTimeoutError,
  AgentUnavailableError,
} from '../errors.js';
import { loggerOptions } from '../logging/file-logger.js';
import { runSkel, type SkelOutput } from '../skel/skel.js';
import { createSpiderpoolPlugin } from './spiderpool.plugin.js';
import type { SpiderpoolConf } from './netconf.schema.js';

const DUAL: IpamAddResponse = {
  ips: [
    { version: 4, address: '172.18.40.23/24', nic: 'eth0', gateway: '172.18.40.1', ipPool: 'v4' },
    { version: 6, address: 'fd00:172:18::23/64', nic: 'eth0', gateway: 'fd00:172:18::1', ipPool: 'v6' },
    { version: 4, address: '10.7.0.9/16', nic: 'net1', gateway: '10.7.0.1' },
  ],
  routes: [
    { ifName: 'eth0', dst: '0.0.0.0/0', gw: '172.18.40.1' },
    { ifName: 'eth0', dst: '::/0', gw: 'fd00:172:18::1' },
    { ifName: 'net1', dst: '10.8.0.0/16', gw: '10.7.0.1' },
  ],
};

interface Harness {
  agent: FakeAgentClient;
  logs: string[];
  confs: SpiderpoolConf[];
  run(
    command: string,
    conf?: Record<string, unknown> | string,
    env?: Record<string, string>,
  ): Promise<SkelOutput>;
}

function harness(allocation: IpamAddResponse = DUAL): Harness {
  const agent = new FakeAgentClient(allocation);
  const logs: string[] = [];
  const confs: SpiderpoolConf[] = [];
  const plugin = createSpiderpoolPlugin({
    version: 'test',
    openLogger: (conf) => {
      confs.push(conf);
      return pino(loggerOptions('spiderpool', conf.logLevel), { write: (s: string) => void logs.push(s) });
    },
    createAgentClient: () => agent,
    netlink: () => ({
      setLinkUp: () => Promise.reject(new Error('no detection flags in these tests')),
    }),
    neighbourProbe: () => new FakeNeighbourProbe(),
  });
  return {
    agent,
    logs,
    confs,
    run: (command, conf = netconf('1.0.0'), env = {}) =>
      runSkel(plugin, {
        env: {
          CNI_COMMAND: command,
          CNI_CONTAINERID: 'c0ffee',
          CNI_NETNS: '/var/run/netns/pod',
          CNI_IFNAME: 'eth0',
          CNI_PATH: '/opt/cni/bin',
          CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_UID=uid-1',
          ...env,
        },
        readStdin: async () => (typeof conf === 'string' ? conf : JSON.stringify(conf)),
      }),
  };
}

function netconf(cniVersion: string, ipam: Record<string, unknown> = {}): Record<string, unknown> {
  return { cniVersion, name: 'macvlan-conf', type: 'macvlan', ipam: { type: 'spiderpool', ...ipam } };
}

function json(out: SkelOutput): Record<string, unknown> {
  return JSON.parse(out.stdout) as Record<string, unknown>;
}

describe('spiderpool ADD', () => {
  it.each(['1.0.0', '1.1.0'])('prints the 1.x result for %s: only this NIC, no ips[].version', async (v) => {
    const h = harness();
    const out = await h.run('ADD', netconf(v));
    expect(out.exitCode).toBe(0);
    expect(json(out)).toEqual({
      cniVersion: v,
      ips: [
        { address: '172.18.40.23/24', gateway: '172.18.40.1' },
        { address: 'fd00:172:18::23/64', gateway: 'fd00:172:18::1' },
      ],
      routes: [
        { dst: '0.0.0.0/0', gw: '172.18.40.1' },
        { dst: '::/0', gw: 'fd00:172:18::1' },
      ],
      dns: {},
    });
  });

  it.each(['0.3.0', '0.3.1', '0.4.0'])('prints the legacy result for %s with ips[].version', async (v) => {
    const out = await harness().run('ADD', netconf(v));
    expect(out.exitCode).toBe(0);
    const r = json(out) as { cniVersion: string; ips: { version: string }[] };
    expect(r.cniVersion).toBe(v);
    expect(r.ips.map((i) => i.version)).toEqual(['4', '6']);
  });

  it('sends the pod identity and netconf pools to the agent', async () => {
    const h = harness();
    await h.run('ADD', netconf('1.0.0', { default_ipv4_ippool: ['v4-*'], clean_gateway: true }));
    expect(h.agent.methods()).toEqual(['healthy', 'allocate']);
    expect(h.agent.calls[1]?.args).toEqual({
      containerID: 'c0ffee',
      netNamespace: '/var/run/netns/pod',
      ifName: 'eth0',
      podName: 'web-0',
      podNamespace: 'default',
      podUID: 'uid-1',
      defaultIPv4IPPool: ['v4-*'],
      defaultIPv6IPPool: null,
      cleanGateway: true,
    });
  });

  it('rolls back when the allocation holds no IP for this interface (code 105)', async () => {
    const h = harness({ ips: [{ version: 4, address: '10.7.0.9/16', nic: 'net1' }] });
    const out = await h.run('ADD');
    expect(out.exitCode).toBe(1);
    expect(json(out)).toMatchObject({
      code: 105,
      msg: 'spiderpool IP allocation error: no Interface eth0 IP allocation found',
    });
    expect(h.agent.methods()).toEqual(['healthy', 'allocate', 'releaseAll']);
    expect(h.agent.held.size).toBe(0);
  });

  it('rolls back when the allocate outcome is unknown (timeout) and answers 11', async () => {
    const h = harness();
    h.agent.failWith('allocate', new AgentTimeoutError('[POST /v1/ipam/ip] no answer within 100000 ms'));
    const out = await h.run('ADD');
    expect(json(out)).toMatchObject({ code: 11 });
    expect(h.agent.methods()).toEqual(['healthy', 'allocate', 'releaseAll']);
  });

  it('rolls back on an invalid agent response (code 100)', async () => {
    const h = harness();
    h.agent.failWith('allocate', new AgentProtocolError('invalid response: ips: expected array'));
    const out = await h.run('ADD');
    expect(json(out)).toMatchObject({ code: 100 });
    expect(h.agent.methods()).toContain('releaseAll');
  });

  it('still reports the original error when the rollback itself fails', async () => {
    const h = harness({ ips: [] });
    h.agent.failWith('releaseAll', new AgentUnavailableError('gone'));
    const out = await h.run('ADD');
    expect(json(out)).toMatchObject({ code: 105 });
    expect(h.logs.join('')).toContain('rollback release failed');
  });

  it.each([
    ['NO_AVAILABLE_POOL', 409, 103],
    ['IP_EXHAUSTED', 409, 104],
    ['POD_NOT_ALIVE', 409, 101],
    ['INVALID_ANNOTATION', 400, 102],
    ['QUEUE_FULL', 503, 11],
    ['INTERNAL', 500, 110],
  ] as const)('maps agent %s to CNI code %s without releasing', async (code, status, cni) => {
    const h = harness();
    h.agent.failWith(
      'allocate',
      new AgentRejectedError(code, status, `[POST /v1/ipam/ip][${status}] ${code}: boom`),
    );
    const out = await h.run('ADD');
    expect(out.exitCode).toBe(1);
    expect(json(out)).toMatchObject({ code: cni, details: code });
    expect((json(out) as { msg: string }).msg).toMatch(/^spiderpool IP allocation error: /);
    expect(h.agent.methods()).not.toContain('releaseAll');
  });

  it('fails with 11 and allocates nothing when the agent is down', async () => {
    const h = harness();
    h.agent.failWith('healthy', new AgentUnavailableError('connect ENOENT'));
    const out = await h.run('ADD');
    expect(json(out)).toMatchObject({ code: 11 });
    expect((json(out) as { msg: string }).msg).toMatch(
      /^unhealthy spiderpool-agent backend, failed to check: /,
    );
    expect(h.agent.methods()).toEqual(['healthy']);
  });

  it('writes logs through the injected logger only, with the CNI context fields', async () => {
    const h = harness();
    const out = await h.run('ADD');
    expect(() => JSON.parse(out.stdout)).not.toThrow();
    const line = JSON.parse(h.logs.find((l) => l.includes('IPAM allocation succeeded')) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(line).toMatchObject({
      level: 'INFO',
      logger: 'spiderpool',
      containerId: 'c0ffee',
      ifName: 'eth0',
      command: 'ADD',
    });
  });
});

describe('spiderpool netconf', () => {
  it('rejects a bad ipam section with code 7 and the field path', async () => {
    const h = harness();
    const out = await h.run('ADD', netconf('1.0.0', { default_ipv4_ippool: 'pool-a' }));
    expect(json(out)).toMatchObject({ code: 7 });
    expect((json(out) as { msg: string }).msg).toContain('ipam.default_ipv4_ippool');
    expect(h.agent.calls).toHaveLength(0);
  });

  it('rejects an unknown log level', async () => {
    const out = await harness().run('ADD', netconf('1.0.0', { log_level: 'verbose' }));
    expect(json(out)).toMatchObject({ code: 7 });
    expect((json(out) as { msg: string }).msg).toContain('unsupported log level verbose');
  });

  it('accepts numeric strings for the log rotation sizes and applies defaults', async () => {
    const h = harness();
    const out = await h.run(
      'ADD',
      netconf('1.0.0', {
        log_level: 'INFO',
        log_file_max_size: '100',
        log_file_max_age: -1,
        log_file_max_count: 7,
      }),
    );
    expect(out.exitCode).toBe(0);
    expect(h.confs[0]).toMatchObject({
      logLevel: 'info',
      logMaxSizeMB: 100,
      logMaxAgeDays: 30,
      logMaxBackups: 7,
      logFilePath: '/var/log/spidernet/spiderpool.log',
      socketPath: '/var/run/spidernet/spiderpool.sock',
      cleanGateway: false,
    });
  });
});

describe('spiderpool DEL', () => {
  it('releases once per call and is idempotent', async () => {
    const h = harness();
    await h.run('ADD');
    const first = await h.run('DEL', netconf('1.0.0'), { CNI_NETNS: '' });
    const second = await h.run('DEL', netconf('1.0.0'), { CNI_NETNS: '' });
    expect([first, second]).toEqual([
      { stdout: '', stderr: '', exitCode: 0 },
      { stdout: '', stderr: '', exitCode: 0 },
    ]);
    expect(h.agent.methods()).toEqual(['healthy', 'allocate', 'release', 'release']);
    expect(h.agent.calls[2]?.args).toMatchObject({
      containerID: 'c0ffee',
      ifName: 'eth0',
      netNamespace: '',
      podUID: 'uid-1',
    });
  });

  it.each([
    new AgentUnavailableError('connect ENOENT'),
    new AgentTimeoutError('no answer'),
    new AgentRejectedError('INTERNAL', 500, 'boom'),
  ])('succeeds even when the agent fails (%p)', async (err) => {
    const h = harness();
    h.agent.failWith('release', err);
    const out = await h.run('DEL');
    expect(out).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(h.logs.join('')).toContain('spiderpool IP release error');
  });

  it('still fails on an invalid netconf (code 7)', async () => {
    const out = await harness().run('DEL', netconf('1.0.0', { clean_gateway: 'yes' }));
    expect(json(out)).toMatchObject({ code: 7 });
  });
});

describe('spiderpool CHECK, STATUS, GC', () => {
  it('CHECK succeeds silently from 0.4.0 on, with a prevResult', async () => {
    const prevResult = { cniVersion: '1.0.0', ips: [{ address: '10.0.0.2/24' }], dns: {} };
    const out = await harness().run('CHECK', { ...netconf('1.0.0'), prevResult });
    expect(out).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('STATUS succeeds when the agent is healthy and answers 50 when not', async () => {
    const ok = await harness().run('STATUS', netconf('1.1.0'), {
      CNI_CONTAINERID: '',
      CNI_IFNAME: '',
      CNI_NETNS: '',
    });
    expect(ok.exitCode).toBe(0);
    const h = harness();
    h.agent.failWith('healthy', new AgentUnavailableError('down'));
    const bad = await h.run('STATUS', netconf('1.1.0'));
    expect(json(bad)).toMatchObject({ cniVersion: '1.1.0', code: 50 });
  });

  it('GC is accepted for 1.1.0 and does not call the agent', async () => {
    const h = harness();
    const out = await h.run('GC', {
      ...netconf('1.1.0'),
      'cni.dev/valid-attachments': [{ containerID: 'x', ifname: 'eth0' }],
    });
    expect(out.exitCode).toBe(0);
    expect(h.agent.calls).toHaveLength(0);
  });

  it('STATUS and GC are refused for configs older than 1.1.0 (code 1)', async () => {
    for (const cmd of ['STATUS', 'GC']) {
      const out = await harness().run(cmd, netconf('1.0.0'));
      expect(json(out)).toMatchObject({ code: 1, msg: `config version does not allow ${cmd}` });
    }
  });
});

describe('stdout purity', () => {
  const cases: [string, Record<string, unknown> | string, (h: Harness) => void][] = [
    ['ADD', netconf('1.0.0'), () => undefined],
    ['ADD', netconf('0.3.1'), (h) => void h.agent.failWith('allocate', new AgentTimeoutError('t'))],
    ['ADD', '{', () => undefined],
    ['DEL', netconf('1.0.0'), (h) => void h.agent.failWith('release', new AgentUnavailableError('down'))],
    ['CHECK', netconf('0.4.0'), () => undefined],
    ['STATUS', netconf('1.1.0'), (h) => void h.agent.failWith('healthy', new AgentUnavailableError('down'))],
    ['GC', netconf('1.1.0'), () => undefined],
    ['NOPE', netconf('1.0.0'), () => undefined],
  ];
  it.each(cases)(
    '%s prints nothing or exactly one JSON document, never on stderr',
    async (cmd, conf, arrange) => {
      const h = harness();
      arrange(h);
      const out = await h.run(cmd, conf);
      expect(out.stderr).toBe('');
      if (out.stdout !== '') {
        const doc = JSON.parse(out.stdout) as Record<string, unknown>;
        expect(
          out.exitCode === 0
            ? 'ips' in doc
            : typeof doc['code'] === 'number' && typeof doc['msg'] === 'string',
        ).toBe(true);
      } else {
        expect(out.exitCode).toBe(0);
      }
    },
  );
});
