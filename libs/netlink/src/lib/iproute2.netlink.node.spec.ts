import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Iproute2Netlink } from './iproute2.netlink.js';
import { describeNetlinkContract } from './netlink.contract.js';
import { ExecFileRunner } from './netns-exec.js';

/** Why this tier cannot run here, or undefined when it can (root, iproute2, nsenter, network namespaces). */
function skipReason(): string | undefined {
  if (process.platform !== 'linux') return 'node tier needs Linux';
  if (process.getuid?.() !== 0) return 'node tier needs root';
  for (const tool of ['ip', 'nsenter', 'unshare']) {
    if (spawnSync(tool, ['-V'], { stdio: 'ignore' }).error) return `node tier needs ${tool} on PATH`;
  }
  const probe = `sptest-probe-${randomBytes(3).toString('hex')}`;
  if (spawnSync('ip', ['netns', 'add', probe], { stdio: 'ignore' }).status !== 0) {
    return 'node tier needs `ip netns add` to work';
  }
  spawnSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
  return undefined;
}

const reason = skipReason();
if (reason !== undefined) console.warn(`[netlink node tier] skipped: ${reason}`);

describeNetlinkContract('Iproute2Netlink', () => new Iproute2Netlink(), { skipReason: reason });

(reason === undefined ? describe : describe.skip)('Iproute2Netlink on a real kernel', () => {
  const nl = new Iproute2Netlink();
  let child: ChildProcess | undefined;
  let named: string | undefined;

  afterEach(async () => {
    if (child?.pid !== undefined) child.kill('SIGKILL');
    child = undefined;
    if (named !== undefined && (await nl.netnsPathExists(named))) await nl.deleteNetns(named);
    named = undefined;
  });

  it('targets a process namespace by /proc/<pid>/ns/net through the same primitive', async () => {
    child = spawn('unshare', ['--net', 'sleep', '60'], { stdio: 'ignore' });
    const pid = child.pid;
    if (pid === undefined) throw new Error('unshare did not start');
    // unshare execs sleep once the namespace exists; wait until /proc/<pid>/exe is sleep
    const pidNs = { netns: `/proc/${pid}/ns/net` };
    named = await nl.createNetns(`sptest-${randomBytes(4).toString('hex')}`);
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      ready = (await nl.listLinks(pidNs)).length === 1;
      if (!ready) await new Promise((r) => setTimeout(r, 10));
    }
    await nl.createVethPair({ name: 'p0', peer: { name: 'n0', netns: named } }, pidNs);
    await nl.setLinkUp('p0', pidNs);
    await nl.addAddress({ dev: 'p0', cidr: '10.77.0.1/24' }, pidNs);
    expect((await nl.listAddresses({ dev: 'p0', family: 4 }, pidNs)).map((a) => a.cidr)).toEqual([
      '10.77.0.1/24',
    ]);
    expect((await nl.getLink('n0', { netns: named })).kind).toBe('veth');
    await nl.moveLinkToNetns('n0', pidNs.netns, { netns: named });
    expect((await nl.listLinks(pidNs)).map((l) => l.name).sort()).toEqual(['lo', 'n0', 'p0']);
  });

  it('prints the per-call cost of `ip -json link show` through nsenter', async () => {
    named = await nl.createNetns(`sptest-${randomBytes(4).toString('hex')}`);
    const target = { netns: named };
    await nl.listLinks(target); // warm the page cache
    const rounds = 50;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) await nl.listLinks(target);
    const nsenterMs = Number(process.hrtime.bigint() - t0) / 1e6 / rounds;
    // the same listing without nsenter, through `ip -n <name>` (what a names-only primitive would cost)
    const runner = new ExecFileRunner();
    const name = named.split('/').pop() ?? '';
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++)
      await runner.run(['ip', '-n', name, '-json', '-details', 'link', 'show']);
    const ipNMs = Number(process.hrtime.bigint() - t1) / 1e6 / rounds;
    console.log(
      `[netlink bench] ip -json -details link show in a fresh netns: via nsenter (port) ${nsenterMs.toFixed(2)} ` +
        `ms/call, via ip -n ${ipNMs.toFixed(2)} ms/call (mean of ${rounds}, Node ${process.version})`,
    );
    expect(nsenterMs).toBeGreaterThan(0);
  });
});
