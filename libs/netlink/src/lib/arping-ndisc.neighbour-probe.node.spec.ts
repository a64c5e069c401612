// Node tier: ArpingNdiscNeighbourProbe against real namespaces. A bridge in a scratch namespace joins a "pod"
// namespace, a namespace holding a conflicting IP and one holding the gateway. All traffic stays inside them.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ArpingNdiscNeighbourProbe } from './arping-ndisc.neighbour-probe.js';
import { Iproute2Netlink } from './iproute2.netlink.js';

function skipReason(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root';
  for (const [tool, pkg] of [
    ['ip', 'iproute2'],
    ['nsenter', 'util-linux'],
    ['arping', 'iputils-arping'],
    ['ndisc6', 'ndisc6'],
  ] as const) {
    if (spawnSync(tool, ['-V'], { stdio: 'ignore' }).error) return `needs ${tool} (Debian package ${pkg})`;
  }
  return undefined;
}

const reason = skipReason();
if (reason !== undefined) console.warn(`[neighbour probe node tier] skipped: ${reason}`);

(reason === undefined ? describe : describe.skip)('ArpingNdiscNeighbourProbe on a real segment', () => {
  const nl = new Iproute2Netlink();
  const probe = new ArpingNdiscNeighbourProbe();
  const id = randomBytes(3).toString('hex');
  const ns: Record<'sw' | 'pod' | 'holder' | 'gw', string> = { sw: '', pod: '', holder: '', gw: '' };
  const macs: Record<string, string> = {};
  const pod = () => ({ netns: ns.pod, ifName: 'eth0' });

  beforeAll(async () => {
    for (const k of Object.keys(ns) as (keyof typeof ns)[]) ns[k] = await nl.createNetns(`sptest-${k}-${id}`);
    await nl.createBridge({ name: 'br0' }, { netns: ns.sw });
    await nl.setLinkUp('br0', { netns: ns.sw });
    const attach = async (who: 'pod' | 'holder' | 'gw', port: string, addrs: string[]) => {
      await nl.createVethPair({ name: port, peer: { name: 'eth0', netns: ns[who] } }, { netns: ns.sw });
      await nl.setLinkMaster(port, 'br0', { netns: ns.sw });
      await nl.setLinkUp(port, { netns: ns.sw });
      for (const cidr of addrs) await nl.addAddress({ dev: 'eth0', cidr, noDad: true }, { netns: ns[who] });
      await nl.setLinkUp('eth0', { netns: ns[who] });
      macs[who] = (await nl.getLink('eth0', { netns: ns[who] })).mac ?? '';
    };
    await attach('pod', 'p-pod', []); // like a pod's NIC during IPAM: up, no address yet
    await attach('holder', 'p-holder', ['10.88.0.20/24', 'fd88::20/64']);
    await attach('gw', 'p-gw', ['10.88.0.1/24', 'fd88::1/64']);
    await nl.writeSysctl('net/ipv4/conf/eth0/arp_accept', 1, { netns: ns.gw });
  }, 30_000);

  afterAll(async () => {
    for (const path of Object.values(ns))
      if (path && (await nl.netnsPathExists(path))) await nl.deleteNetns(path);
  });

  it('detects an IPv4 conflict with the holder namespace MAC, and none for a free address', async () => {
    await expect(probe.probeAddressConflict({ ...pod(), ip: '10.88.0.20' })).resolves.toEqual({
      conflict: true,
      mac: macs['holder'],
    });
    await expect(probe.probeAddressConflict({ ...pod(), ip: '10.88.0.21' })).resolves.toEqual({
      conflict: false,
    });
  });

  it('tells a reachable IPv4 gateway (with its MAC) from an unreachable one', async () => {
    await expect(probe.probeGateway({ ...pod(), ip: '10.88.0.21', gateway: '10.88.0.1' })).resolves.toEqual({
      reachable: true,
      mac: macs['gw'],
    });
    await expect(probe.probeGateway({ ...pod(), ip: '10.88.0.21', gateway: '10.88.0.254' })).resolves.toEqual(
      {
        reachable: false,
      },
    );
  });

  it('does the same for IPv6 once the pod link-local address is usable', async () => {
    await expect(probe.probeAddressConflict({ ...pod(), ip: 'fd88::20' })).resolves.toEqual({
      conflict: true,
      mac: macs['holder'],
    });
    await expect(probe.probeAddressConflict({ ...pod(), ip: 'fd88::21' })).resolves.toEqual({
      conflict: false,
    });
    await expect(probe.probeGateway({ ...pod(), ip: 'fd88::21', gateway: 'fd88::1' })).resolves.toEqual({
      reachable: true,
      mac: macs['gw'],
    });
    await expect(probe.probeGateway({ ...pod(), ip: 'fd88::21', gateway: 'fd88::fe' })).resolves.toEqual({
      reachable: false,
    });
  }, 20_000);

  it('announces an IPv4 address with a gratuitous ARP the gateway learns from', async () => {
    await probe.announce({ ...pod(), ip: '10.88.0.33' });
    const learnt = await nl.listNeighbours({ dev: 'eth0', family: 4 }, { netns: ns.gw });
    expect(learnt.find((n) => n.ip === '10.88.0.33')?.lladdr).toBe(macs['pod']);
  });

  it('prints the cost of each probe kind', async () => {
    const time = async (f: () => Promise<unknown>) => {
      const t0 = process.hrtime.bigint();
      await f();
      return (Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1);
    };
    const free4 = await time(() => probe.probeAddressConflict({ ...pod(), ip: '10.88.0.40' }));
    const gw4 = await time(() => probe.probeGateway({ ...pod(), ip: '10.88.0.40', gateway: '10.88.0.1' }));
    const free6 = await time(() => probe.probeAddressConflict({ ...pod(), ip: 'fd88::40' }));
    const gw6 = await time(() => probe.probeGateway({ ...pod(), ip: 'fd88::40', gateway: 'fd88::1' }));
    console.log(
      `[neighbour probe] ms: IPv4 free-address check ${free4}, IPv4 gateway ${gw4}, ` +
        `IPv6 free-address check ${free6}, IPv6 gateway ${gw6}`,
    );
    expect(Number(free4)).toBeGreaterThan(0);
  });
});
