// Node tier: the packaged `coordinator` (dist/cni/bin/coordinator, `nx run cni:package`) run for real.
// Each test builds its own "host" netns (the binary is started inside it with nsenter, so the node's
// real namespace is never touched) and a pod netns whose eth0 comes from a bridge "main CNI", then
// asserts routes/rules/neighbours/veth/sysctls/iptables on both sides and that DEL leaves nothing.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AGENT_DEFAULTS } from './coordinator.fixture.js';
import { startCoordinatorAgentServer, type CoordinatorAgentServer } from './coordinator-agent-server.fake.js';

const EXE = resolve(import.meta.dirname, '../../../../dist/cni/bin/coordinator');
const isRoot = process.getuid?.() === 0;
const probe = isRoot ? spawnSync('ip', ['netns', 'list']) : undefined;
const skipReason = !existsSync(EXE)
  ? `packaged executable missing at ${EXE} (run nx run cni:package)`
  : !isRoot
    ? 'not root'
    : probe?.status !== 0
      ? 'cannot manage network namespaces'
      : undefined;
if (skipReason) process.stderr.write(`coordinator.node.spec skipped: ${skipReason}\n`);
const describeNode = skipReason ? describe.skip : describe;

const sh = (argv: string[]) => execFileSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
const inNs = (ns: string, argv: string[]) => sh(['ip', 'netns', 'exec', ns, ...argv]);
const json = <T>(text: string) => JSON.parse(text === '' ? '[]' : text) as T;
interface IpRoute {
  dst: string;
  dev?: string;
  gateway?: string;
  prefsrc?: string;
}
interface IpRule {
  priority: number;
  table: string;
  src?: string;
  fwmark?: string;
}
const routes = (ns: string, table: string | number) =>
  json<IpRoute[]>(inNs(ns, ['ip', '-j', 'route', 'show', 'table', String(table)]));
const rules = (ns: string) => json<IpRule[]>(inNs(ns, ['ip', '-j', 'rule', 'show']));

describeNode('packaged coordinator executable (underlay over a bridge main CNI)', () => {
  const id = `${process.pid}`.slice(-5);
  const hostNs = `sptest-h${id}`;
  const podNs = `sptest-p${id}`;
  const cid = `cafe${id}0000000000`;
  const hostVeth = `veth${cid.slice(0, 11)}`;
  let dir: string;
  let agent: CoordinatorAgentServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coord-node-'));
    agent = await startCoordinatorAgentServer(join(dir, 'agent.sock'), {
      ...AGENT_DEFAULTS,
      serviceCIDR: ['10.233.0.0/18'],
    });
  });
  afterAll(async () => {
    await agent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    sh(['ip', 'netns', 'add', hostNs]);
    sh(['ip', 'netns', 'add', podNs]);
    // host: node NIC (a bridge: this kernel has no dummy), bridge with the pod gateway; pod: eth0 on the bridge + default route.
    inNs(hostNs, ['ip', 'link', 'set', 'lo', 'up']);
    inNs(hostNs, ['ip', 'link', 'add', 'ens3', 'type', 'bridge']);
    inNs(hostNs, ['ip', 'addr', 'add', '192.168.77.2/24', 'dev', 'ens3']);
    inNs(hostNs, ['ip', 'link', 'set', 'ens3', 'up']);
    inNs(hostNs, ['ip', 'link', 'add', 'br0', 'type', 'bridge']);
    inNs(hostNs, ['ip', 'addr', 'add', '10.66.0.1/24', 'dev', 'br0']);
    inNs(hostNs, ['ip', 'link', 'set', 'br0', 'up']);
    inNs(hostNs, ['ip', 'link', 'add', 'vethm0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', podNs]);
    inNs(hostNs, ['ip', 'link', 'set', 'vethm0', 'master', 'br0', 'up']);
    inNs(podNs, ['ip', 'link', 'set', 'lo', 'up']);
    inNs(podNs, ['ip', 'addr', 'add', '10.66.0.10/24', 'dev', 'eth0']);
    inNs(podNs, ['ip', 'link', 'set', 'eth0', 'up']);
    inNs(podNs, ['ip', 'route', 'add', 'default', 'via', '10.66.0.1', 'dev', 'eth0']);
  });
  afterEach(() => {
    spawnSync('ip', ['netns', 'del', podNs]);
    spawnSync('ip', ['netns', 'del', hostNs]);
  });

  const prevResult = {
    cniVersion: '1.0.0',
    interfaces: [{ name: 'eth0', sandbox: `/var/run/netns/${podNs}` }],
    ips: [{ address: '10.66.0.10/24', gateway: '10.66.0.1', interface: 0 }],
    routes: [{ dst: '0.0.0.0/0', gw: '10.66.0.1' }],
    dns: {},
  };
  const conf = () =>
    JSON.stringify({
      cniVersion: '1.0.0',
      name: 'bridge-underlay',
      type: 'coordinator',
      ipam_unix_socket_path: agent.socketPath,
      logOptions: { logLevel: 'debug', logFile: join(dir, 'coordinator.log') },
      prevResult,
    });

  // The agent is served by this process's event loop, so the child must run asynchronously.
  function run(command: string) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => {
      const child = spawn('nsenter', [`--net=/var/run/netns/${hostNs}`, '--', EXE], {
        env: {
          PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
          CNI_COMMAND: command,
          CNI_CONTAINERID: cid,
          CNI_NETNS: `/var/run/netns/${podNs}`,
          CNI_IFNAME: 'eth0',
          CNI_PATH: '/opt/cni/bin',
          CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_UID=u1',
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => res({ code, stdout, stderr }));
      child.stdin.end(conf());
    });
  }

  it('ADD wires both namespaces and prints prevResult; DEL leaves nothing behind', async () => {
    const add = await run('ADD');
    expect(add.stderr).toBe('');
    expect(add.stdout).not.toContain('"code"');
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toEqual(prevResult);
    expect(agent.requests).toContain('GET /v1/coordinator/config?podNamespace=default&podName=web-0');

    // pod side
    const veth0 = json<{ ifname: string; mtu: number; flags: string[] }[]>(
      inNs(podNs, ['ip', '-j', 'link', 'show', 'veth0']),
    )[0];
    expect(veth0?.flags).toContain('UP');
    const main = routes(podNs, 'main');
    expect(main).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ dst: 'default', gateway: '10.66.0.1', dev: 'eth0' }),
        expect.objectContaining({ dst: '10.66.0.1', dev: 'veth0', prefsrc: '10.66.0.10' }),
        expect.objectContaining({ dst: '192.168.77.2', dev: 'veth0', prefsrc: '10.66.0.10' }),
        expect.objectContaining({ dst: '10.233.0.0/18', gateway: '10.66.0.1', dev: 'veth0' }),
        expect.objectContaining({ dst: '169.254.0.0/16', gateway: '10.66.0.1', dev: 'veth0' }),
      ]),
    );
    expect(
      routes(podNs, 101)
        .map((r) => r.dst)
        .sort(),
    ).toEqual(['10.66.0.1', '192.168.77.2']);
    expect(routes(podNs, 100)).toEqual([
      expect.objectContaining({ dst: 'default', gateway: '10.66.0.1', dev: 'veth0' }),
    ]);
    expect(rules(podNs)).toContainEqual(
      expect.objectContaining({ priority: 1000, fwmark: '0x1', table: '100' }),
    );
    expect(inNs(podNs, ['iptables', '-w', '5', '-t', 'mangle', '-S'])).toContain(
      '-A OUTPUT -j CONNMARK --restore-mark',
    );
    expect(inNs(podNs, ['ip', 'neigh', 'show', 'dev', 'veth0'])).toMatch(/10\.66\.0\.1 lladdr \S+ PERMANENT/);
    expect(inNs(podNs, ['cat', '/proc/sys/net/ipv4/conf/all/rp_filter']).trim()).toBe('0');

    // host side
    expect(rules(hostNs)).toContainEqual(expect.objectContaining({ priority: 1000, table: '500' }));
    expect(routes(hostNs, 500)).toEqual([expect.objectContaining({ dst: '10.66.0.10', dev: hostVeth })]);
    expect(inNs(hostNs, ['ip', 'neigh', 'show', 'dev', hostVeth])).toMatch(
      /10\.66\.0\.10 lladdr \S+ PERMANENT/,
    );
    expect(inNs(hostNs, ['cat', `/proc/sys/net/ipv6/conf/${hostVeth}/accept_ra`]).trim()).toBe('0');

    // traffic inside our namespaces: the pod reaches the node IP through veth0
    expect(inNs(podNs, ['ip', 'route', 'get', '192.168.77.2'])).toContain('dev veth0');
    const ping = spawnSync('ip', ['netns', 'exec', podNs, 'ping', '-c1', '-W2', '192.168.77.2']);
    expect(ping.status).toBe(0);

    const del = await run('DEL');
    expect(del).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(spawnSync('ip', ['netns', 'exec', hostNs, 'ip', 'link', 'show', hostVeth]).status).not.toBe(0);
    expect(spawnSync('ip', ['netns', 'exec', podNs, 'ip', 'link', 'show', 'veth0']).status).not.toBe(0);
    expect(routes(hostNs, 500)).toEqual([]);
    expect(inNs(hostNs, ['ip', 'neigh', 'show', 'nud', 'permanent'])).toBe('');
    expect((await run('DEL')).code).toBe(0);
  });

  it('a failing ADD (agent says mode overlay on eth0) changes nothing', async () => {
    agent.config = { ...AGENT_DEFAULTS, mode: 'overlay' };
    try {
      const before = routes(podNs, 'main');
      const add = await run('ADD');
      expect(add.code).toBe(1);
      expect(JSON.parse(add.stdout)).toMatchObject({ code: 121 });
      expect(routes(podNs, 'main')).toEqual(before);
      expect(spawnSync('ip', ['netns', 'exec', hostNs, 'ip', 'link', 'show', hostVeth]).status).not.toBe(0);
    } finally {
      agent.config = AGENT_DEFAULTS;
    }
  });
});
