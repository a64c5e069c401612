// Node tier: runs the packaged executable (dist/cni/bin/spiderpool, `nx run cni:package`) with only
// CNI_* + PATH in its environment against an in-process fake agent on a temp unix socket.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeAgentServer, type FakeAgentServer } from './agent-client/agent-server.fake.js';

const EXE = resolve(import.meta.dirname, '../../../dist/cni/bin/spiderpool');
const isRoot = process.getuid?.() === 0;
const skipReason = !existsSync(EXE)
  ? `packaged executable missing at ${EXE} (run nx run cni:package)`
  : !isRoot
    ? 'not root'
    : undefined;
if (skipReason) console.warn(`cni-binary.node.spec skipped: ${skipReason}`);
const describeNode = skipReason ? describe.skip : describe;

describeNode('packaged spiderpool executable', () => {
  let dir: string;
  let agent: FakeAgentServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cni-node-'));
    agent = await startFakeAgentServer(join(dir, 'agent.sock'));
  });
  afterAll(async () => {
    await agent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const conf = (cniVersion: string) =>
    JSON.stringify({
      cniVersion,
      name: 'macvlan-conf',
      type: 'macvlan',
      ipam: {
        type: 'spiderpool',
        ipam_unix_socket_path: agent.socketPath,
        log_file_path: join(dir, 'log', 'spiderpool.log'),
      },
    });

  // The fake agent is served by this process's event loop, so the child must run asynchronously.
  function exec(env: Record<string, string>, stdin: string) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => {
      const child = spawn(EXE, [], { env: { PATH: '/usr/bin:/bin', ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => res({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  const podEnv = (command: string) => ({
    CNI_COMMAND: command,
    CNI_CONTAINERID: 'node-test-1',
    CNI_NETNS: '/var/run/netns/node-test',
    CNI_IFNAME: 'eth0',
    CNI_PATH: '/opt/cni/bin',
    CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=node-test;K8S_POD_UID=u1',
  });

  it('VERSION prints the supported versions', () => {
    const r = spawnSync(EXE, [], { env: { PATH: '/usr/bin', CNI_COMMAND: 'VERSION' }, input: '' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toEqual({
      cniVersion: '1.1.0',
      supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'],
    });
    expect(r.stderr.toString()).toBe('');
  });

  it('ADD prints only the result, DEL releases, and logs go to the file', async () => {
    const add = await exec(podEnv('ADD'), conf('1.0.0'));
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({
      cniVersion: '1.0.0',
      ips: [{ address: expect.stringMatching(/^10\.250\.\d+\.\d+\/16$/), gateway: '10.250.0.1' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.250.0.1' }],
    });
    expect(agent.held.has('default/node-test')).toBe(true);

    const del = await exec({ ...podEnv('DEL'), CNI_NETNS: '' }, conf('1.0.0'));
    expect(del).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(agent.held.has('default/node-test')).toBe(false);
    expect(readFileSync(join(dir, 'log', 'spiderpool.log'), 'utf8')).toContain('IPAM release successfully');
  });

  it('ADD with an agent error prints a CNI error object and exits 1', async () => {
    agent.failNext('POST /v1/ipam/ip', 'NO_AVAILABLE_POOL', 'no IPPool available');
    const add = await exec(podEnv('ADD'), conf('0.3.1'));
    expect(add.code).toBe(1);
    expect(JSON.parse(add.stdout)).toMatchObject({
      cniVersion: '0.3.1',
      code: 103,
      details: 'NO_AVAILABLE_POOL',
    });
  });
});
