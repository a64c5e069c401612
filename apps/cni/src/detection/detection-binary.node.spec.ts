// Node tier: the packaged executable (`nx run cni:package`) with detection flags served by a fake agent, against
// a real segment: a bridge in a scratch netns, the "pod" netns, a netns holding 10.89.0.20, a gateway netns.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { IpamAddResponse } from '@spiderpool/agent-api';
import { Iproute2Netlink } from '@spiderpool/netlink';
import { startFakeAgentServer, type FakeAgentServer } from '../agent-client/agent-server.fake.js';

const EXE = resolve(import.meta.dirname, '../../../../dist/cni/bin/spiderpool');

function skipReason(): string | undefined {
  if (!existsSync(EXE)) return `packaged executable missing at ${EXE} (run nx run cni:package)`;
  if (process.getuid?.() !== 0) return 'not root';
  for (const [tool, pkg] of [
    ['arping', 'iputils-arping'],
    ['nsenter', 'util-linux'],
    ['ip', 'iproute2'],
  ] as const) {
    if (spawnSync(tool, ['-V'], { stdio: 'ignore' }).error) return `needs ${tool} (Debian package ${pkg})`;
  }
  return undefined;
}
const reason = skipReason();
if (reason) console.warn(`detection-binary.node.spec skipped: ${reason}`);

(reason ? describe.skip : describe)(
  'packaged spiderpool executable with IP conflict / gateway detection',
  () => {
    const nl = new Iproute2Netlink();
    const id = randomBytes(3).toString('hex');
    const ns = { sw: '', pod: '', holder: '', gw: '' };
    let dir: string;
    let agent: FakeAgentServer;
    let holderMac = '';

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cni-detect-'));
      agent = await startFakeAgentServer(join(dir, 'agent.sock'));
      for (const k of Object.keys(ns) as (keyof typeof ns)[])
        ns[k] = await nl.createNetns(`sptest-d${k}-${id}`);
      await nl.createBridge({ name: 'br0' }, { netns: ns.sw });
      await nl.setLinkUp('br0', { netns: ns.sw });
      const attach = async (who: 'pod' | 'holder' | 'gw', port: string, cidr?: string) => {
        await nl.createVethPair({ name: port, peer: { name: 'eth0', netns: ns[who] } }, { netns: ns.sw });
        await nl.setLinkMaster(port, 'br0', { netns: ns.sw });
        await nl.setLinkUp(port, { netns: ns.sw });
        if (cidr) {
          await nl.addAddress({ dev: 'eth0', cidr }, { netns: ns[who] });
          await nl.setLinkUp('eth0', { netns: ns[who] });
        }
      };
      await attach('pod', 'p-pod'); // left down: the plugin must set it up
      await attach('holder', 'p-holder', '10.89.0.20/24');
      await attach('gw', 'p-gw', '10.89.0.1/24');
      holderMac = (await nl.getLink('eth0', { netns: ns.holder })).mac ?? '';
    }, 30_000);

    afterAll(async () => {
      await agent.close();
      rmSync(dir, { recursive: true, force: true });
      for (const path of Object.values(ns))
        if (path && (await nl.netnsPathExists(path))) await nl.deleteNetns(path);
    });

    const allocation = (ip: string, gateway: string): IpamAddResponse => ({
      ips: [
        {
          version: 4,
          address: `${ip}/24`,
          nic: 'eth0',
          gateway,
          enableIPConflictDetection: true,
          enableGatewayDetection: true,
        },
      ],
    });

    function add(): Promise<{ code: number | null; stdout: string }> {
      const stdin = JSON.stringify({
        cniVersion: '1.0.0',
        name: 'macvlan-conf',
        type: 'macvlan',
        ipam: {
          type: 'spiderpool',
          ipam_unix_socket_path: agent.socketPath,
          log_file_path: join(dir, 'sp.log'),
        },
      });
      return new Promise((res) => {
        const child = spawn(EXE, [], {
          env: {
            PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
            CNI_COMMAND: 'ADD',
            CNI_CONTAINERID: 'detect-1',
            CNI_NETNS: ns.pod,
            CNI_IFNAME: 'eth0',
            CNI_PATH: '/opt/cni/bin',
            CNI_ARGS: 'K8S_POD_NAMESPACE=default;K8S_POD_NAME=detect;K8S_POD_UID=u1',
          },
        });
        let stdout = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.on('close', (code) => res({ code, stdout }));
        child.stdin.end(stdin);
      });
    }

    it('succeeds for a free IP with a live gateway and leaves the pod interface up', async () => {
      agent.allocation = allocation('10.89.0.21', '10.89.0.1');
      const r = await add();
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        ips: [{ address: '10.89.0.21/24', gateway: '10.89.0.1' }],
      });
      expect((await nl.getLink('eth0', { netns: ns.pod })).adminUp).toBe(true);
    });

    it('fails with 106 naming the holder MAC and releases the pod IPs', async () => {
      agent.held.clear(); // the fake agent re-serves a pod's held allocation
      agent.allocation = allocation('10.89.0.20', '10.89.0.1');
      agent.requests.length = 0;
      const r = await add();
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({
        code: 106,
        msg: `ip conflict: pod's interface eth0 with an conflicting ip 10.89.0.20, 10.89.0.20 is located at ${holderMac}`,
      });
      expect(agent.requests.some((q) => q.startsWith('DELETE') && q.endsWith('/ips'))).toBe(true);
    });

    it('fails with 107 when the gateway does not answer', async () => {
      agent.held.clear();
      agent.allocation = allocation('10.89.0.21', '10.89.0.254');
      const r = await add();
      expect(JSON.parse(r.stdout)).toMatchObject({ code: 107, msg: expect.stringContaining('10.89.0.254') });
    });
  },
);
