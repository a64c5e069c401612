import { ArpingNdiscNeighbourProbe } from './arping-ndisc.neighbour-probe.js';
import {
  InvalidArgumentError,
  LinkDownError,
  LinkNotFoundError,
  LinkNotReadyError,
  NetlinkCommandError,
  NetnsNotFoundError,
  ProbeToolMissingError,
} from './errors.js';
import { FakeNeighbourProbe } from './neighbour-probe.fake.js';
import type { CommandResult, CommandRunner, RunOptions } from './netns-exec.js';

type Answer = Partial<CommandResult> | Error;

/** Records argv + timeout and answers from a script, so argv building and result mapping run without root. */
class ScriptedRunner implements CommandRunner {
  readonly calls: { argv: readonly string[]; timeoutMs: number | undefined }[] = [];
  constructor(private readonly answer: (argv: readonly string[], n: number) => Answer) {}

  async run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    this.calls.push({ argv, timeoutMs: options.timeoutMs });
    const a = this.answer(argv, this.calls.length);
    if (a instanceof Error) throw a;
    return { stdout: '', stderr: '', exitCode: 0, ...a };
  }
}

const POD = { netns: '/proc/42/ns/net', ifName: 'net1' };
const REPLY = (ip: string, mac: string) =>
  `ARPING ${ip} from 0.0.0.0 net1\nUnicast reply from ${ip} [${mac}]  0.528ms\nSent 1 probes (1 broadcast(s))\nReceived 1 response(s)\n`;
const enoent = () => Object.assign(new Error('spawn arping ENOENT'), { code: 'ENOENT' });
const LL_READY = JSON.stringify([{ addr_info: [{ local: 'fe80::1', scope: 'link' }] }]);
const LL_TENTATIVE = JSON.stringify([{ addr_info: [{ local: 'fe80::1', scope: 'link', tentative: true }] }]);

describe('ArpingNdiscNeighbourProbe — IPv4 (arping)', () => {
  it('sends a DAD probe inside the pod netns and reports the holder MAC from the reply', async () => {
    const runner = new ScriptedRunner(() => ({
      exitCode: 1,
      stdout: REPLY('10.6.1.20', '6A:09:85:FC:0F:E0'),
    }));
    const probe = new ArpingNdiscNeighbourProbe(runner);
    await expect(probe.probeAddressConflict({ ...POD, ip: '10.6.1.20' })).resolves.toEqual({
      conflict: true,
      mac: '6a:09:85:fc:0f:e0',
    });
    expect(runner.calls).toEqual([
      {
        argv: [
          'nsenter',
          '--net=/proc/42/ns/net',
          '--',
          'arping',
          '-D',
          '-c',
          '1',
          '-w',
          '1',
          '-I',
          'net1',
          '10.6.1.20',
        ],
        timeoutMs: 300,
      },
    ]);
  });

  it('reports no conflict when the window closes without a reply (child stopped) or arping saw none', async () => {
    for (const exitCode of [null, 0]) {
      const probe = new ArpingNdiscNeighbourProbe(new ScriptedRunner(() => ({ exitCode })));
      await expect(probe.probeAddressConflict({ ...POD, ip: '10.6.1.20' })).resolves.toEqual({
        conflict: false,
      });
    }
  });

  it('ignores replies for other addresses and treats an unexplained exit 1 as a command failure', async () => {
    const probe = new ArpingNdiscNeighbourProbe(
      new ScriptedRunner(() => ({ exitCode: 1, stdout: REPLY('10.6.1.99', '02:00:00:00:00:01') })),
    );
    await expect(probe.probeAddressConflict({ ...POD, ip: '10.6.1.20' })).rejects.toBeInstanceOf(
      NetlinkCommandError,
    );
  });

  it('asks the gateway from the pod IP and reads reachable / unreachable from exit status and reply', async () => {
    const reachable = new ScriptedRunner(() => ({
      exitCode: 0,
      stdout: REPLY('10.6.0.1', 'AA:BB:CC:DD:EE:01'),
    }));
    await expect(
      new ArpingNdiscNeighbourProbe(reachable).probeGateway({ ...POD, ip: '10.6.1.20', gateway: '10.6.0.1' }),
    ).resolves.toEqual({ reachable: true, mac: 'aa:bb:cc:dd:ee:01' });
    expect(reachable.calls[0]?.argv.slice(3)).toEqual([
      'arping',
      '-f',
      '-c',
      '1',
      '-w',
      '1',
      '-I',
      'net1',
      '-s',
      '10.6.1.20',
      '10.6.0.1',
    ]);
    expect(reachable.calls[0]?.timeoutMs).toBe(450);
    const silent = new ArpingNdiscNeighbourProbe(new ScriptedRunner(() => ({ exitCode: null })));
    await expect(silent.probeGateway({ ...POD, ip: '10.6.1.20', gateway: '10.6.0.1' })).resolves.toEqual({
      reachable: false,
    });
  });

  it('announces with one unsolicited ARP and stops the sender after the grace period', async () => {
    const runner = new ScriptedRunner(() => ({ exitCode: null }));
    await new ArpingNdiscNeighbourProbe(runner, { timings: { announceGraceMs: 150 } }).announce({
      ...POD,
      ip: '10.6.1.20',
    });
    expect(runner.calls).toEqual([
      {
        argv: [
          'nsenter',
          '--net=/proc/42/ns/net',
          '--',
          'arping',
          '-U',
          '-c',
          '1',
          '-w',
          '1',
          '-I',
          'net1',
          '10.6.1.20',
        ],
        timeoutMs: 150,
      },
    ]);
  });

  it('maps tool messages to typed errors', async () => {
    const cases: [Partial<CommandResult>, new (...a: never[]) => Error][] = [
      [{ exitCode: 2, stderr: 'arping: Device net1 not available.\n' }, LinkNotFoundError],
      [{ exitCode: 2, stderr: 'Interface "net1" is down\n' }, LinkDownError],
      [
        { exitCode: 1, stderr: 'nsenter: cannot open /proc/42/ns/net: No such file or directory\n' },
        NetnsNotFoundError,
      ],
      [
        { exitCode: 127, stderr: 'nsenter: failed to execute arping: No such file or directory\n' },
        ProbeToolMissingError,
      ],
    ];
    for (const [answer, type] of cases) {
      const probe = new ArpingNdiscNeighbourProbe(new ScriptedRunner(() => answer));
      await expect(probe.announce({ ...POD, ip: '10.6.1.20' })).rejects.toBeInstanceOf(type);
    }
  });

  it('names the Debian package when a tool is missing', async () => {
    const probe = new ArpingNdiscNeighbourProbe(new ScriptedRunner(() => enoent()));
    const err = await probe
      .probeAddressConflict({ ifName: 'net1', ip: '10.6.1.20' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProbeToolMissingError);
    expect(err).toMatchObject({ tool: 'arping', debianPackage: 'iputils-arping', code: 'TOOL_MISSING' });
    expect((err as Error).message).toContain('iputils-arping');
  });

  it('rejects bad input before running anything, identically in the fake', async () => {
    const runner = new ScriptedRunner(() => ({}));
    for (const probe of [new ArpingNdiscNeighbourProbe(runner), new FakeNeighbourProbe()]) {
      await expect(probe.probeAddressConflict({ ...POD, ip: '10.6.1.300' })).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      await expect(probe.probeGateway({ ...POD, ip: '10.6.1.2', gateway: 'fd00::1' })).rejects.toBeInstanceOf(
        InvalidArgumentError,
      );
      await expect(
        probe.announce({ netns: 'relative', ifName: 'net1', ip: '10.6.1.2' }),
      ).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(runner.calls).toEqual([]);
  });

  it('refuses windows beyond the spec caps', () => {
    expect(
      () => new ArpingNdiscNeighbourProbe(undefined, { timings: { ipv4ConflictWindowMs: 1500 } }),
    ).toThrow(InvalidArgumentError);
    expect(() => new ArpingNdiscNeighbourProbe(undefined, { timings: { ipv4GatewayWindowMs: 600 } })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('ArpingNdiscNeighbourProbe — IPv6 (ndisc6)', () => {
  it('waits for a usable link-local address, then solicits the pod IP and reports the answering MAC', async () => {
    let clock = 0;
    const runner = new ScriptedRunner((argv, n) => {
      if (argv.includes('addr')) return { stdout: n < 3 ? LL_TENTATIVE : LL_READY };
      return { exitCode: 0, stdout: '6A:09:85:FC:0F:E0\n' };
    });
    const probe = new ArpingNdiscNeighbourProbe(runner, {
      sleep: async (ms) => {
        clock += ms;
      },
      now: () => clock,
    });
    await expect(probe.probeAddressConflict({ ...POD, ip: 'FD00::20' })).resolves.toEqual({
      conflict: true,
      mac: '6a:09:85:fc:0f:e0',
    });
    expect(runner.calls.map((c) => c.argv.slice(3))).toEqual([
      ['ip', '-6', '-json', 'addr', 'show', 'dev', 'net1', 'scope', 'link'],
      ['ip', '-6', '-json', 'addr', 'show', 'dev', 'net1', 'scope', 'link'],
      ['ip', '-6', '-json', 'addr', 'show', 'dev', 'net1', 'scope', 'link'],
      ['ndisc6', '-1', '-n', '-q', '-r', '3', '-w', '100', 'fd00::20', 'net1'],
    ]);
    expect(clock).toBe(200);
  });

  it('reads ndisc6 exit 2 as "nobody answered" (no conflict / gateway unreachable)', async () => {
    const runner = new ScriptedRunner((argv) =>
      argv.includes('addr') ? { stdout: LL_READY } : { exitCode: 2 },
    );
    const probe = new ArpingNdiscNeighbourProbe(runner);
    await expect(probe.probeAddressConflict({ ...POD, ip: 'fd00::20' })).resolves.toEqual({
      conflict: false,
    });
    await expect(probe.probeGateway({ ...POD, ip: 'fd00::20', gateway: 'fd00::1' })).resolves.toEqual({
      reachable: false,
    });
  });

  it('gives up with LinkNotReadyError when the link-local address stays tentative', async () => {
    let clock = 0;
    const probe = new ArpingNdiscNeighbourProbe(new ScriptedRunner(() => ({ stdout: LL_TENTATIVE })), {
      timings: { linkLocalTimeoutMs: 1000, linkLocalPollMs: 100 },
      sleep: async (ms) => {
        clock += ms;
      },
      now: () => clock,
    });
    await expect(probe.probeGateway({ ...POD, ip: 'fd00::20', gateway: 'fd00::1' })).rejects.toBeInstanceOf(
      LinkNotReadyError,
    );
    expect(clock).toBe(1000);
  });

  it('maps a missing ndisc6 and a missing device', async () => {
    const missing = new ArpingNdiscNeighbourProbe(
      new ScriptedRunner((argv) =>
        argv.includes('addr')
          ? { stdout: LL_READY }
          : { exitCode: 127, stderr: 'nsenter: failed to execute ndisc6: No such file or directory' },
      ),
    );
    await expect(missing.probeAddressConflict({ ...POD, ip: 'fd00::20' })).rejects.toMatchObject({
      debianPackage: 'ndisc6',
    });
    const noDev = new ArpingNdiscNeighbourProbe(
      new ScriptedRunner(() => ({ exitCode: 1, stderr: 'Device "net1" does not exist.' })),
    );
    await expect(noDev.probeAddressConflict({ ...POD, ip: 'fd00::20' })).rejects.toBeInstanceOf(
      LinkNotFoundError,
    );
  });
});

describe('FakeNeighbourProbe', () => {
  it('answers from its table, records calls in order and injects failures', async () => {
    const fake = new FakeNeighbourProbe().answer('10.0.0.1', 'AA:00:00:00:00:01');
    await expect(fake.probeGateway({ ifName: 'eth0', ip: '10.0.0.5', gateway: '10.0.0.1' })).resolves.toEqual(
      {
        reachable: true,
        mac: 'aa:00:00:00:00:01',
      },
    );
    await expect(fake.probeAddressConflict({ ifName: 'eth0', ip: '10.0.0.5' })).resolves.toEqual({
      conflict: false,
    });
    fake.failOn('announce', new LinkDownError('eth0'));
    await expect(fake.announce({ ifName: 'eth0', ip: '10.0.0.5' })).rejects.toBeInstanceOf(LinkDownError);
    expect(fake.calls.map((c) => c.op)).toEqual(['gateway', 'conflict', 'announce']);
  });
});
