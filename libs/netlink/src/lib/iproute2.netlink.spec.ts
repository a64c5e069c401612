import {
  AlreadyExistsError,
  GatewayUnreachableError,
  LinkNotFoundError,
  NetlinkCommandError,
  NetlinkParseError,
  NetnsNotFoundError,
  NotFoundError,
} from './errors.js';
import { Iproute2Netlink } from './iproute2.netlink.js';
import type { CommandResult, CommandRunner } from './netns-exec.js';
import { inNetns } from './netns-exec.js';

/** Records argv/stdin and answers from a script, so argv building and output/error mapping run without root. */
class ScriptedRunner implements CommandRunner {
  readonly calls: { argv: readonly string[]; stdin: string | undefined }[] = [];
  constructor(private readonly answer: (argv: readonly string[]) => Partial<CommandResult>) {}

  async run(argv: readonly string[], options: { readonly stdin?: string } = {}): Promise<CommandResult> {
    this.calls.push({ argv, stdin: options.stdin });
    return { stdout: '', stderr: '', exitCode: 0, ...this.answer(argv) };
  }
}

const POD = { netns: '/proc/42/ns/net' };

describe('inNetns', () => {
  it('wraps commands in nsenter for a namespace path and leaves current-namespace commands alone', () => {
    expect(inNetns('/var/run/netns/x', ['ip', 'link'])).toEqual([
      'nsenter',
      '--net=/var/run/netns/x',
      '--',
      'ip',
      'link',
    ]);
    expect(inNetns(undefined, ['ip', 'link'])).toEqual(['ip', 'link']);
  });
});

describe('Iproute2Netlink (scripted runner)', () => {
  it('builds a veth with peer namespace, MTU and MACs in one ip call', async () => {
    const runner = new ScriptedRunner((argv) =>
      argv.includes('show')
        ? {
            stdout: JSON.stringify([
              {
                ifindex: 3,
                ifname: 'veth0',
                flags: ['BROADCAST'],
                mtu: 1450,
                link_index: 7,
                linkinfo: { info_kind: 'veth' },
              },
            ]),
          }
        : {},
    );
    const nl = new Iproute2Netlink(runner);
    const link = await nl.createVethPair(
      {
        name: 'veth0',
        mtu: 1450,
        mac: '0A:00:00:00:00:01',
        peer: { name: 'vethabc', netns: '/proc/self/ns/net' },
      },
      POD,
    );
    expect(runner.calls[0]?.argv).toEqual([
      'nsenter',
      '--net=/proc/42/ns/net',
      '--',
      'ip',
      'link',
      'add',
      'veth0',
      'mtu',
      '1450',
      'address',
      '0a:00:00:00:00:01',
      'type',
      'veth',
      'peer',
      'name',
      'vethabc',
      'netns',
      '/proc/self/ns/net',
    ]);
    expect(link).toMatchObject({ index: 3, kind: 'veth', peerIndex: 7, adminUp: false });
  });

  it.each([
    ['RTNETLINK answers: File exists', AlreadyExistsError],
    ['Error: ipv4: Address already assigned.', AlreadyExistsError],
    ['Cannot find device "eth9"', LinkNotFoundError],
    ['Error: argument "br9" is wrong: Device does not exist', LinkNotFoundError],
    ['nsenter: cannot open /proc/42/ns/net: No such file or directory', NetnsNotFoundError],
    ['Error: Nexthop has invalid gateway.', GatewayUnreachableError],
    ['RTNETLINK answers: No such process', NotFoundError],
    ['something new and unexpected', NetlinkCommandError],
  ])('maps %p to %p', async (stderr, type) => {
    const nl = new Iproute2Netlink(new ScriptedRunner(() => ({ exitCode: 2, stderr })));
    await expect(
      nl.replaceRoute({ dst: '10.0.0.0/8', via: '10.1.0.1', dev: 'eth0' }, POD),
    ).rejects.toBeInstanceOf(type);
  });

  it('keeps the command, exit code and stderr on the cause', async () => {
    const nl = new Iproute2Netlink(
      new ScriptedRunner(() => ({ exitCode: 2, stderr: 'RTNETLINK answers: File exists\n' })),
    );
    const error = await nl.addRule({ table: 500, priority: 1000 }, POD).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlreadyExistsError);
    expect((error as AlreadyExistsError).cause).toMatchObject({
      code: 'COMMAND_FAILED',
      exitCode: 2,
      command: [
        'nsenter',
        '--net=/proc/42/ns/net',
        '--',
        'ip',
        '-4',
        'rule',
        'add',
        'pref',
        '1000',
        'lookup',
        '500',
      ],
    });
  });

  it('sends several route replaces through one ip -batch run', async () => {
    const runner = new ScriptedRunner(() => ({}));
    await new Iproute2Netlink(runner).replaceRoutes(
      [
        { dst: '10.96.0.0/12', via: '172.18.0.2', dev: 'veth0', src: '10.6.0.10' },
        { dst: 'fd00::/64', via: 'fd00:1::2', dev: 'veth0', table: 101 },
      ],
      POD,
    );
    expect(runner.calls).toHaveLength(1);
    expect(runner.calls[0]?.argv.slice(3)).toEqual(['ip', '-batch', '-']);
    expect(runner.calls[0]?.stdin).toBe(
      'route replace 10.96.0.0/12 via 172.18.0.2 dev veth0 src 10.6.0.10 table 254 scope global\n' +
        'route replace fd00::/64 via fd00:1::2 dev veth0 table 101 scope global\n',
    );
  });

  it('parses routes, rules and neighbours into the port shapes', async () => {
    const runner = new ScriptedRunner((argv) => {
      if (argv.includes('route')) {
        return {
          stdout: JSON.stringify(
            argv.includes('-4')
              ? [
                  {
                    dst: 'default',
                    gateway: '10.0.0.1',
                    dev: 'eth0',
                    table: 'main',
                    protocol: 'boot',
                    scope: 'global',
                    metrics: [{ mtu: 1400 }],
                  },
                ]
              : [{ dst: '2001:db8::/64', dev: 'eth0', table: 'main', protocol: 'kernel', metric: 256 }],
          ),
        };
      }
      if (argv.includes('rule')) {
        return {
          stdout: JSON.stringify([
            { priority: 50, src: '10.1.0.0', srclen: 24, fwmark: '0x1', fwmask: '0x3', table: '6' },
          ]),
        };
      }
      return {
        stdout: JSON.stringify([
          { dst: '10.0.0.9', dev: 'eth0', lladdr: '02:AA:00:00:00:09', state: ['PERMANENT'] },
        ]),
      };
    });
    const nl = new Iproute2Netlink(runner);
    expect(await nl.listRoutes({}, POD)).toEqual([
      expect.objectContaining({
        family: 4,
        dst: '0.0.0.0/0',
        via: '10.0.0.1',
        table: 254,
        scope: 'universe',
        metric: 0,
        mtu: 1400,
      }),
      expect.objectContaining({
        family: 6,
        dst: '2001:db8::/64',
        via: undefined,
        metric: 256,
        protocol: 'kernel',
      }),
    ]);
    expect(await nl.listRules({ family: 4 }, POD)).toEqual([
      { family: 4, priority: 50, table: 6, from: '10.1.0.0/24', to: undefined, fwmark: 1, fwmask: 3 },
    ]);
    expect(await nl.listNeighbours({}, POD)).toEqual([
      { dev: 'eth0', family: 4, ip: '10.0.0.9', lladdr: '02:aa:00:00:00:09', state: ['permanent'] },
    ]);
  });

  it('rejects output that does not match the schema with NetlinkParseError', async () => {
    const nl = new Iproute2Netlink(new ScriptedRunner(() => ({ stdout: '[{"ifname":"x"}]' })));
    await expect(nl.listLinks(POD)).rejects.toBeInstanceOf(NetlinkParseError);
  });

  it('writes sysctls with tee inside the namespace, never through a shell', async () => {
    const runner = new ScriptedRunner(() => ({}));
    await new Iproute2Netlink(runner).writeSysctl('net/ipv4/conf/eth0.100/rp_filter', 0, POD);
    expect(runner.calls[0]).toEqual({
      argv: ['nsenter', '--net=/proc/42/ns/net', '--', 'tee', '/proc/sys/net/ipv4/conf/eth0.100/rp_filter'],
      stdin: '0\n',
    });
  });
});
