import { AgentUnavailableError } from '../errors.js';
import {
  AGENT_DEFAULTS,
  BRIDGE_IP,
  HOST_VETH,
  NODE_IP,
  POD_IP,
  PREV_RESULT,
  makeNode,
  routeTable,
  ruleList,
} from './coordinator.fixture.js';

const json = (s: string) => JSON.parse(s) as Record<string, unknown>;

describe('coordinator ADD, underlay, first NIC', () => {
  it('wires veth0, routes, rules, neighbours and the reply path, and prints prevResult unchanged', async () => {
    const node = await makeNode();
    const { nl, pod } = node;
    const out = await node.run('ADD');
    expect(out.exitCode).toBe(0);
    expect(json(out.stdout)).toEqual(PREV_RESULT);

    const veth0 = await nl.getLink('veth0', { netns: pod });
    const hostVeth = await nl.getLink(HOST_VETH, {});
    expect(veth0.adminUp && hostVeth.adminUp).toBe(true);
    expect(veth0.mtu).toBe(1500);
    expect(veth0.mac).toMatch(/^[0-9a-f][26ae]:/); // locally administered unicast

    expect(await routeTable(nl, 254, pod)).toEqual(
      expect.arrayContaining([
        `0.0.0.0/0 via ${BRIDGE_IP} dev eth0`,
        `${BRIDGE_IP}/32 dev veth0 src ${POD_IP}`,
        `${NODE_IP}/32 dev veth0 src ${POD_IP}`,
        `10.233.0.0/18 via ${BRIDGE_IP} dev veth0 src ${POD_IP}`,
        `169.254.0.0/16 via ${BRIDGE_IP} dev veth0 src ${POD_IP}`,
      ]),
    );
    expect(await routeTable(nl, 101, pod)).toEqual([
      `${BRIDGE_IP}/32 dev veth0 src ${POD_IP}`,
      `${NODE_IP}/32 dev veth0 src ${POD_IP}`,
    ]);
    expect(await routeTable(nl, 100, pod)).toEqual([`0.0.0.0/0 via ${BRIDGE_IP} dev veth0 src ${POD_IP}`]);
    expect(await ruleList(nl, pod)).toEqual(['1000: from all fwmark 0x1 lookup 100']);
    expect(node.marks.list(pod)).toHaveLength(3);

    expect(await ruleList(nl)).toEqual(['1000: from all lookup 500']);
    expect(await routeTable(nl, 500)).toEqual([`${POD_IP}/32 dev ${HOST_VETH}`]);
    const hostNeigh = await nl.listNeighbours({ dev: HOST_VETH }, {});
    expect(hostNeigh).toEqual([
      expect.objectContaining({ ip: POD_IP, lladdr: veth0.mac, state: ['permanent'] }),
    ]);
    const podNeigh = await nl.listNeighbours({ dev: 'veth0' }, { netns: pod });
    expect(podNeigh.map((n) => [n.ip, n.lladdr])).toEqual([
      [BRIDGE_IP, hostVeth.mac],
      [NODE_IP, hostVeth.mac],
    ]);
    expect(await nl.readSysctl('net.ipv4.conf.all.rp_filter', { netns: pod })).toBe('0');
    expect(await nl.readSysctl(`net/ipv6/conf/${HOST_VETH}/accept_ra`, {})).toBe('0');
  });

  it('is idempotent: a second ADD after DEL, and ADD twice on the host rule', async () => {
    const node = await makeNode();
    expect((await node.run('ADD')).exitCode).toBe(0);
    expect((await node.run('DEL')).exitCode).toBe(0);
    expect((await node.run('ADD')).exitCode).toBe(0);
    expect(await ruleList(node.nl)).toEqual(['1000: from all lookup 500']);
  });

  it('DEL removes the host veth, host-table routes and neighbours; a second DEL succeeds', async () => {
    const node = await makeNode();
    await node.run('ADD');
    const del = await node.run('DEL');
    expect(del).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await node.nl.findLink(HOST_VETH, {})).toBeUndefined();
    expect(await node.nl.findLink('veth0', { netns: node.pod })).toBeUndefined();
    expect(await routeTable(node.nl, 500)).toEqual([]);
    expect((await node.nl.listNeighbours({}, {})).filter((n) => n.ip === POD_IP)).toEqual([]);
    expect((await node.run('DEL')).exitCode).toBe(0);
  });

  it('DEL tolerates an unreachable agent (netconf + defaults)', async () => {
    const node = await makeNode();
    await node.run('ADD');
    node.agent.failWith('coordinatorConfig', new AgentUnavailableError('socket missing'));
    expect((await node.run('DEL')).exitCode).toBe(0);
    expect(await node.nl.findLink(HOST_VETH, {})).toBeUndefined();
  });

  it('DEL succeeds when the pod netns is gone', async () => {
    const node = await makeNode();
    await node.run('ADD');
    await node.nl.deleteNetns(node.pod);
    expect((await node.run('DEL')).exitCode).toBe(0);
  });

  it('applies podMACPrefix, txQueueLen (in the pod, D5), vethLinkAddress and rp_filter', async () => {
    const node = await makeNode({
      ...AGENT_DEFAULTS,
      podMACPrefix: '0a:1b',
      txQueueLen: 3000,
      vethLinkAddress: '169.254.100.1',
      podRPFilter: 2,
    });
    expect((await node.run('ADD')).exitCode).toBe(0);
    const eth0 = await node.nl.getLink('eth0', { netns: node.pod });
    expect(eth0.mac).toBe('0a:1b:0a:06:00:0a');
    expect(eth0.txQueueLen).toBe(3000);
    expect(await node.nl.readSysctl('net/ipv4/conf/eth0/arp_notify', { netns: node.pod })).toBe('1');
    expect((await node.nl.listAddresses({ dev: 'veth0' }, { netns: node.pod })).map((a) => a.cidr)).toEqual([
      '169.254.100.1/32',
    ]);
    expect(await node.nl.readSysctl('net.ipv4.conf.all.rp_filter', { netns: node.pod })).toBe('2');
  });

  it('leaves rp_filter untouched for any negative value (D14)', async () => {
    const node = await makeNode({ ...AGENT_DEFAULTS, podRPFilter: -2 });
    await node.nl.writeSysctl('net.ipv4.conf.all.rp_filter', 1, { netns: node.pod });
    expect((await node.run('ADD')).exitCode).toBe(0);
    expect(await node.nl.readSysctl('net.ipv4.conf.all.rp_filter', { netns: node.pod })).toBe('1');
  });

  it('netconf values win over the agent (policy routes into main on the first underlay NIC)', async () => {
    const node = await makeNode();
    const out = await node.run('ADD', {
      conf: {
        hostRuleTable: 600,
        serviceCIDR: ['10.96.0.0/12'],
        policyRoutes: [
          { dst: '172.30.0.0/16', gw: BRIDGE_IP },
          { dst: 'fd00::/64', gw: 'fd00::1' },
        ],
      },
    });
    expect(out.exitCode).toBe(0);
    expect(await routeTable(node.nl, 600)).toEqual([`${POD_IP}/32 dev ${HOST_VETH}`]);
    const main = await routeTable(node.nl, 254, node.pod);
    expect(main).toContain(`10.96.0.0/12 via ${BRIDGE_IP} dev veth0 src ${POD_IP}`);
    expect(main).not.toContain(`10.233.0.0/18 via ${BRIDGE_IP} dev veth0 src ${POD_IP}`);
    expect(main).toContain(`172.30.0.0/16 via ${BRIDGE_IP} dev eth0`);
  });
});

describe('coordinator ADD failures', () => {
  it('undoes what it did when a later step fails (iptables)', async () => {
    const node = await makeNode();
    const podRoutesBefore = await routeTable(node.nl, 254, node.pod);
    node.marks.failure = new Error('iptables: not found');
    const out = await node.run('ADD');
    expect(out.exitCode).toBe(1);
    expect(json(out.stdout)).toMatchObject({
      code: 120,
      msg: expect.stringContaining('makeReplyPacketViaVeth'),
    });
    expect(await node.nl.findLink(HOST_VETH, {})).toBeUndefined();
    expect(await node.nl.findLink('veth0', { netns: node.pod })).toBeUndefined();
    expect(await routeTable(node.nl, 500)).toEqual([]);
    expect(await routeTable(node.nl, 254, node.pod)).toEqual(podRoutesBefore);
    expect(node.logs.join('')).toContain('rolled back');
  });

  it.each([
    [{ podMACPrefix: '0b:1b' }, 7, 'podMACPrefix'],
    [{ podMACPrefix: '0a-1b' }, 7, 'podMACPrefix'],
    [{ podRPFilter: 3 }, 7, 'invalid rp_filter value 3'],
    [{ mode: 'sideways' }, 7, 'unknown tuneMode: sideways'],
    [{ vethMTU: 0 }, 7, 'vethMTU must be greater than 0'],
    [{ serviceCIDR: ['10.0.0.1'] }, 7, 'invalid serviceCIDR'],
    [{ policyRoutes: [{ dst: '10.0.0.0/8', gw: 'fd00::1' }] }, 7, 'must use the same IP family'],
    [{ logOptions: {} }, 7, 'unsupported log level'],
  ])('rejects netconf %j with code %i', async (conf, code, msg) => {
    const node = await makeNode();
    const out = await node.run('ADD', { conf });
    expect(out.exitCode).toBe(1);
    expect(json(out.stdout)).toMatchObject({ code, msg: expect.stringContaining(msg) });
    expect(await node.nl.findLink(HOST_VETH, {})).toBeUndefined();
  });

  it('requires a prevResult', async () => {
    const out = await (await makeNode()).run('ADD', { prevResult: null });
    expect(json(out.stdout)).toMatchObject({ code: 7, msg: expect.stringContaining('prevResult') });
  });

  it('fails ADD with code 11 when the agent is unreachable', async () => {
    const node = await makeNode();
    node.agent.failWith('coordinatorConfig', new AgentUnavailableError('socket missing'));
    const out = await node.run('ADD');
    expect(json(out.stdout)).toMatchObject({
      code: 11,
      msg: expect.stringContaining('failed to GetCoordinatorConfig'),
    });
  });

  it('fails when IfName has no usable address', async () => {
    const node = await makeNode();
    await node.nl.deleteAddress({ dev: 'eth0', cidr: `${POD_IP}/24` }, { netns: node.pod });
    const out = await node.run('ADD');
    expect(json(out.stdout)).toMatchObject({
      code: 120,
      msg: expect.stringContaining('no usable IP addresses on "eth0"'),
    });
  });
});

describe('coordinator modes', () => {
  it.each(['disabled', 'disable'])('mode %s does nothing and prints prevResult', async (mode) => {
    const node = await makeNode({ ...AGENT_DEFAULTS, mode });
    const out = await node.run('ADD');
    expect(json(out.stdout)).toEqual(PREV_RESULT);
    expect(await node.nl.findLink('veth0', { netns: node.pod })).toBeUndefined();
    expect((await node.run('DEL')).exitCode).toBe(0);
  });

  async function addSecondNic(node: Awaited<ReturnType<typeof makeNode>>, ip: string) {
    const P = { netns: node.pod };
    await node.nl.createBridge({ name: 'br1' }, {});
    await node.nl.addAddress({ dev: 'br1', cidr: '10.7.0.1/24' }, {});
    await node.nl.setLinkUp('br1', {});
    await node.nl.createVethPair({ name: 'vethmain1', peer: { name: 'net1', netns: node.pod } }, {});
    await node.nl.setLinkMaster('vethmain1', 'br1', {});
    await node.nl.setLinkUp('vethmain1', {});
    await node.nl.addAddress({ dev: 'net1', cidr: `${ip}/24` }, P);
  }

  it('underlay second NIC: table 101 for eth0+veth0+net1, source rule, routes copied, default kept', async () => {
    const node = await makeNode();
    expect((await node.run('ADD')).exitCode).toBe(0);
    await addSecondNic(node, '10.7.0.20');
    const out = await node.run('ADD', {
      ifName: 'net1',
      prevResult: { ...PREV_RESULT, ips: [{ address: '10.7.0.20/24' }] },
    });
    expect(out.exitCode).toBe(0);
    const rules = await ruleList(node.nl, node.pod);
    expect(rules).toContain('999: from 10.7.0.20/32 lookup 101');
    const t = await routeTable(node.nl, 101, node.pod);
    expect(t).toEqual(
      expect.arrayContaining([
        '10.7.0.0/24 dev net1 src 10.7.0.20',
        `169.254.0.0/16 via ${BRIDGE_IP} dev veth0 src ${POD_IP}`,
      ]),
    );
    expect(await routeTable(node.nl, 254, node.pod)).toContain(`0.0.0.0/0 via ${BRIDGE_IP} dev eth0`);
    expect(await routeTable(node.nl, 500)).toEqual([
      `${POD_IP}/32 dev ${HOST_VETH}`,
      `10.7.0.20/32 dev ${HOST_VETH}`,
    ]);
  });

  it('underlay second NIC without veth0 is a mode conflict', async () => {
    const node = await makeNode({ ...AGENT_DEFAULTS, mode: 'underlay' });
    await addSecondNic(node, '10.7.0.20');
    const out = await node.run('ADD', { ifName: 'net1' });
    expect(json(out.stdout)).toMatchObject({ code: 121, msg: expect.stringContaining('veth0') });
  });

  it('podDefaultRouteNIC=net1 moves the default route of eth0 into eth0’s table', async () => {
    const node = await makeNode();
    await node.run('ADD');
    await addSecondNic(node, '10.7.0.20');
    const out = await node.run('ADD', { ifName: 'net1', conf: { podDefaultRouteNic: 'net1' } });
    expect(out.exitCode).toBe(0);
    expect(await routeTable(node.nl, 254, node.pod)).not.toContain(`0.0.0.0/0 via ${BRIDGE_IP} dev eth0`);
    expect(await routeTable(node.nl, 101, node.pod)).toContain(`0.0.0.0/0 via ${BRIDGE_IP} dev eth0`);
    expect(await ruleList(node.nl, node.pod)).toContain(`999: from ${POD_IP}/32 lookup 101`);
  });

  it('overlay: auto mode on net1 without veth0 uses eth0 and its host peer; copies the default route to table 100', async () => {
    const node = await makeNode();
    await addSecondNic(node, '10.7.0.20');
    const out = await node.run('ADD', { ifName: 'net1' });
    expect(out.exitCode).toBe(0);
    expect(await node.nl.findLink('veth0', { netns: node.pod })).toBeUndefined();
    // the host side is the peer of the pod's eth0 (the overlay CNI's veth)
    expect(await routeTable(node.nl, 500)).toEqual(['10.7.0.20/32 dev vethmain0']);
    expect(await node.nl.listNeighbours({ dev: 'vethmain0' }, {})).toEqual([
      expect.objectContaining({ ip: '10.7.0.20' }),
    ]);
    expect(await routeTable(node.nl, 100, node.pod)).toEqual([`0.0.0.0/0 via ${BRIDGE_IP} dev eth0`]);
    const rules = await ruleList(node.nl, node.pod);
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/from 10\.7\.0\.20\/32 lookup 101$/),
        expect.stringMatching(new RegExp(`from ${POD_IP}/32 lookup 100$`)),
      ]),
    );
    expect(await routeTable(node.nl, 101, node.pod)).toContain('10.7.0.0/24 dev net1 src 10.7.0.20');
  });

  it('overlay on the first NIC is a mode conflict', async () => {
    const node = await makeNode({ ...AGENT_DEFAULTS, mode: 'overlay' });
    const out = await node.run('ADD');
    expect(json(out.stdout)).toMatchObject({ code: 121 });
  });
});

describe('coordinator VERSION / about', () => {
  it('prints "Coordinator" without CNI_COMMAND', async () => {
    const out = await (await makeNode()).run('', {});
    expect(out.stderr).toContain(
      'Coordinator\nCNI protocol versions supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0',
    );
  });
});
