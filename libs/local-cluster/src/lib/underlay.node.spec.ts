import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Iproute2Netlink } from '@spiderpool/netlink';
import { nodeTierSkip } from '@spiderpool/testing';
import { pino } from 'pino';
import { ExecaProcessRunner } from './execa-process-runner.js';
import { NetlinkHostNetwork } from './netlink-host-network.js';
import { newRunId, runNames } from './run-names.js';
import { runDir, sweepLocalClusters, writeLocalRunState } from './run-state.js';
import { Underlay } from './underlay.js';

const d = nodeTierSkip() ? describe.skip : describe;
const log = pino({ level: 'silent' });

const zones = [
  { name: 'subnet-6', subnet: '10.6.0.0/16', gateway: '10.6.0.1' },
  { name: 'subnet-7', subnet: '10.7.0.0/16', gateway: '10.7.0.1' },
];

d('Underlay on the real kernel', () => {
  const net = new NetlinkHostNetwork(new Iproute2Netlink(), new ExecaProcessRunner());
  const names = runNames(newRunId());
  const underlay = new Underlay(net, names, log);
  const podA = names.podNetns('a');
  const podB = names.podNetns('b');

  afterAll(async () => {
    for (const ns of [podA, podB]) await net.deleteNetns(ns).catch(() => undefined);
    await underlay.destroy(zones.length).catch(() => undefined);
  });

  it('routes between zones through the router netns only (ttl 63), with no address on the host side', async () => {
    await underlay.ensure(zones);
    await underlay.ensure(zones); // idempotent
    // two stand-in pods, one per zone, wired like the bridge plugin would
    for (const [i, ns, ip, gw] of [
      [0, podA, '10.6.168.60/16', '10.6.0.1'],
      [1, podB, '10.7.168.60/16', '10.7.0.1'],
    ] as const) {
      await net.ensureNetns(ns);
      await net.ensureVethToNetns({
        hostEnd: names.uplink(10 + i),
        bridge: names.zoneBridge(i),
        peerEnd: 'eth0',
        peerNetns: ns,
        addresses: [ip],
      });
      const r = await net.execIn(ns, ['ip', 'route', 'add', 'default', 'via', gw]);
      expect(r.stderr).toBe('');
    }
    const ping = await net.execIn(podA, ['ping', '-c', '2', '-W', '2', '10.7.168.60']);
    expect(ping.stdout).toContain('2 received');
    expect(ping.stdout).toContain('ttl=63');

    const runner = new ExecaProcessRunner();
    for (const link of [names.zoneBridge(0), names.zoneBridge(1), names.uplink(0), names.uplink(1)]) {
      const rootAddrs = await runner.run('ip', ['-json', 'addr', 'show', 'dev', link]);
      expect([link, JSON.parse(rootAddrs.stdout)[0].addr_info]).toEqual([link, []]);
    }
    const routerDefault = await net.execIn(names.routerNetns, ['ip', 'route', 'show', 'default']);
    expect(routerDefault.stdout.trim()).toBe('');
    // the router does not reach beyond the zones
    const out = await net.execIn(podA, ['ping', '-c', '1', '-W', '1', '192.0.2.1']);
    expect(out.exitCode).not.toBe(0);
  });

  it('probes for macvlan in a scratch namespace and removes it again', async () => {
    const scratch = `lc-${names.runId}-probe`;
    const supported = await net.supportsMacvlan(scratch);
    process.stderr.write(`[node tier] macvlan on this kernel: ${supported}\n`);
    expect(await net.listNetns()).not.toContain(scratch);
  });

  it('sweeps the kernel objects of a run whose owner is gone', async () => {
    const base = mkdtempSync(join(tmpdir(), 'lc-sweep-'));
    // a run record whose owner is gone (pid above any pid_max)
    writeLocalRunState(runDir(base, names.runId), {
      ownerPid: 2 ** 30,
      runId: names.runId,
      createdAt: '',
      componentPids: [],
    });
    try {
      const result = await sweepLocalClusters(base, net, log);
      expect(result.runs).toEqual([names.runId]);
      expect(result.netns).toEqual(expect.arrayContaining([names.routerNetns, podA, podB]));
      expect(await net.listNetns()).not.toContain(names.routerNetns);
      expect((await net.listLinks()).filter((l) => l.startsWith(`lc${names.runId}`))).toEqual([]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
