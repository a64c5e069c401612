// ADD with IP-conflict / gateway detection (spec §1.3 step 9–10, §1.6, §1.7), through the skel with fake ports.
import type { IpamAddResponse } from '@spiderpool/agent-api';
import { FakeNeighbourProbe, LinkDownError, ProbeToolMissingError } from '@spiderpool/netlink';
import pino from 'pino';
import { FakeAgentClient } from '../agent-client/agent-client.fake.js';
import { loggerOptions } from '../logging/file-logger.js';
import { runSkel, type SkelOutput } from '../skel/skel.js';
import { createSpiderpoolPlugin } from './spiderpool.plugin.js';

const NETNS = '/var/run/netns/pod';
const FLAGS = { enableIPConflictDetection: true, enableGatewayDetection: true };

const DUAL: IpamAddResponse = {
  ips: [
    { version: 4, address: '10.6.1.20/16', nic: 'eth0', gateway: '10.6.0.1', ...FLAGS },
    { version: 6, address: 'fd00:6::20/64', nic: 'eth0', gateway: 'fd00:6::1', ...FLAGS },
    { version: 4, address: '10.7.0.9/16', nic: 'net1', gateway: '10.7.0.1', ...FLAGS },
  ],
  routes: [{ ifName: 'eth0', dst: '0.0.0.0/0', gw: '10.6.0.1' }],
};

function harness(allocation: IpamAddResponse = DUAL) {
  const agent = new FakeAgentClient(allocation);
  // both gateways answer by default
  const probe = new FakeNeighbourProbe()
    .answer('10.6.0.1', '02:00:00:00:00:01')
    .answer('fd00:6::1', '02:00:00:00:00:01');
  const linkUps: { name: string; netns: string | undefined }[] = [];
  let linkUpError: Error | undefined;
  const logs: string[] = [];
  const plugin = createSpiderpoolPlugin({
    version: 'test',
    openLogger: (conf) =>
      pino(loggerOptions('spiderpool', conf.logLevel), { write: (s: string) => void logs.push(s) }),
    createAgentClient: () => agent,
    netlink: () => ({
      setLinkUp: async (name, at) => {
        linkUps.push({ name, netns: at.netns });
        if (linkUpError) throw linkUpError;
      },
    }),
    neighbourProbe: () => probe,
  });
  const run = (): Promise<SkelOutput> =>
    runSkel(plugin, {
      env: {
        CNI_COMMAND: 'ADD',
        CNI_CONTAINERID: 'c0ffee',
        CNI_NETNS: NETNS,
        CNI_IFNAME: 'eth0',
        CNI_PATH: '/opt/cni/bin',
        CNI_ARGS: 'K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_UID=uid-1',
      },
      readStdin: async () =>
        JSON.stringify({ cniVersion: '1.0.0', name: 'm', type: 'macvlan', ipam: { type: 'spiderpool' } }),
    });
  return {
    agent,
    probe,
    linkUps,
    logs,
    run,
    failLinkUp: (e: Error) => {
      linkUpError = e;
    },
  };
}

const json = (out: SkelOutput) => JSON.parse(out.stdout) as { code?: number; msg?: string; details?: string };

describe('spiderpool ADD — IP conflict and gateway detection', () => {
  it('sets only CNI_IFNAME up in the pod netns, checks conflicts before gateways per family, then announces', async () => {
    const h = harness();
    const out = await h.run();
    expect(out.exitCode).toBe(0);
    expect(h.linkUps).toEqual([{ name: 'eth0', netns: NETNS }]);
    const seq = (ipFamily: string) =>
      h.probe.calls.filter((c) => c.ip.includes(ipFamily)).map((c) => `${c.op} ${c.ip}`);
    expect(seq('.')).toEqual(['conflict 10.6.1.20', 'gateway 10.6.1.20', 'announce 10.6.1.20']);
    expect(seq(':')).toEqual(['conflict fd00:6::20', 'gateway fd00:6::20', 'announce fd00:6::20']);
    // net1's IP is neither probed nor announced from eth0 (D1)
    expect(h.probe.calls.some((c) => c.ip === '10.7.0.9')).toBe(false);
    expect(h.probe.calls.every((c) => c.netns === NETNS && c.ifName === 'eth0')).toBe(true);
    expect(h.agent.methods()).toEqual(['healthy', 'allocate']);
  });

  it('answers 106 naming the IP and the holder MAC and releases every IP of the pod', async () => {
    const h = harness();
    h.probe.answer('10.6.1.20', 'AA:BB:CC:00:00:07');
    const out = await h.run();
    expect(out.exitCode).toBe(1);
    expect(json(out)).toMatchObject({
      code: 106,
      details: 'IP_CONFLICT',
      msg: "ip conflict: pod's interface eth0 with an conflicting ip 10.6.1.20, 10.6.1.20 is located at aa:bb:cc:00:00:07",
    });
    expect(h.agent.methods()).toEqual(['healthy', 'allocate', 'releaseAll']);
    expect(h.agent.calls[2]?.args).toEqual({
      containerID: 'c0ffee',
      netNamespace: NETNS,
      podName: 'web-0',
      podNamespace: 'default',
      podUID: 'uid-1',
    });
    expect(h.agent.held.size).toBe(0);
    // a conflicting IPv4 address never reaches the IPv4 gateway probe, and nothing is announced
    expect(h.probe.calls.filter((c) => c.op === 'gateway' && c.ip === '10.6.1.20')).toEqual([]);
    expect(h.probe.calls.filter((c) => c.op === 'announce')).toEqual([]);
  });

  it('answers 107 naming the gateway and the IP when the gateway does not answer, and releases', async () => {
    const h = harness({
      ips: [{ version: 6, address: 'fd00:6::20/64', nic: 'eth0', gateway: 'fd00:6::99', ...FLAGS }],
    });
    const out = await h.run();
    expect(json(out)).toMatchObject({
      code: 107,
      msg: 'gateway fd00:6::99 is unreachable from fd00:6::20 on interface eth0',
    });
    expect(h.agent.methods()).toContain('releaseAll');
  });

  it('honours each flag: gateway-only skips the conflict probe; no gateway means no gateway probe', async () => {
    const h = harness({
      ips: [
        {
          version: 4,
          address: '10.6.1.20/16',
          nic: 'eth0',
          gateway: '10.6.0.1',
          enableGatewayDetection: true,
        },
        { version: 6, address: 'fd00:6::20/64', nic: 'eth0', enableGatewayDetection: true },
      ],
    });
    expect((await h.run()).exitCode).toBe(0);
    expect(h.probe.calls.filter((c) => c.op !== 'announce').map((c) => `${c.op} ${c.ip}`)).toEqual([
      'gateway 10.6.1.20',
    ]);
  });

  it('skips detection (and leaves the link alone) when no entry of this NIC has a flag on', async () => {
    const h = harness({
      ips: [
        { version: 4, address: '10.6.1.20/16', nic: 'eth0', gateway: '10.6.0.1' },
        { version: 4, address: '10.7.0.9/16', nic: 'net1', ...FLAGS },
      ],
    });
    expect((await h.run()).exitCode).toBe(0);
    expect(h.linkUps).toEqual([]);
    expect(h.probe.calls.map((c) => `${c.op} ${c.ip}`)).toEqual(['announce 10.6.1.20']);
  });

  it('reports a missing tool with the Debian package (999, details TOOL_MISSING) and rolls back', async () => {
    const h = harness();
    h.probe.withoutTools();
    const out = await h.run();
    const err = json(out);
    expect(err.code).toBe(999);
    expect(err.details).toBe('TOOL_MISSING');
    expect(err.msg).toMatch(
      /^failed to detect address conflict of .* on eth0: .* \(Debian package (iputils-arping|ndisc6)\)$/,
    );
    expect(h.agent.methods()).toEqual(['healthy', 'allocate', 'releaseAll']);
  });

  it('fails with "failed to set link up" when the interface cannot be set up, without probing', async () => {
    const h = harness();
    h.failLinkUp(new LinkDownError('eth0'));
    const out = await h.run();
    expect(json(out)).toMatchObject({ code: 999, details: 'LINK_DOWN' });
    expect(json(out).msg).toMatch(/^failed to set link up: /);
    expect(h.probe.calls).toEqual([]);
  });

  it('only logs announcement failures; ADD still succeeds', async () => {
    const h = harness();
    h.probe.failOn('announce', new ProbeToolMissingError('arping', 'iputils-arping'), '10.6.1.20');
    const out = await h.run();
    expect(out.exitCode).toBe(0);
    expect(h.logs.join('')).toContain('failed to announce the IP');
    expect(h.agent.methods()).toEqual(['healthy', 'allocate']);
  });
});
