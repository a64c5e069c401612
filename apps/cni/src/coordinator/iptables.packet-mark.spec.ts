import type { CommandResult, CommandRunner } from '@spiderpool/netlink';
import { NetworkSetupError } from './coordinator.errors.js';
import { IptablesPacketMark } from './iptables.packet-mark.js';
import { replyPathRules } from './packet-mark.port.js';

class ScriptedRunner implements CommandRunner {
  readonly seen: string[] = [];
  constructor(private readonly answer: (argv: readonly string[]) => CommandResult) {}
  async run(argv: readonly string[]): Promise<CommandResult> {
    this.seen.push(argv.join(' '));
    return this.answer(argv);
  }
}

const ok: CommandResult = { stdout: '', stderr: '', exitCode: 0 };
const [, , rule] = replyPathRules(6, 'veth0') as [
  unknown,
  unknown,
  ReturnType<typeof replyPathRules>[number],
];

describe('IptablesPacketMark', () => {
  it('checks, then appends inside the namespace with the family binary', async () => {
    const runner = new ScriptedRunner((a) => (a.includes('-C') ? { ...ok, exitCode: 1 } : ok));
    expect(await new IptablesPacketMark(runner).ensureRule(rule, { netns: '/var/run/netns/p' })).toBe(true);
    expect(runner.seen).toEqual([
      'nsenter --net=/var/run/netns/p -- ip6tables -w 5 -t mangle -C OUTPUT -j CONNMARK --restore-mark',
      'nsenter --net=/var/run/netns/p -- ip6tables -w 5 -t mangle -A OUTPUT -j CONNMARK --restore-mark',
    ]);
  });

  it('does not append an existing rule', async () => {
    const runner = new ScriptedRunner(() => ok);
    expect(await new IptablesPacketMark(runner).ensureRule(rule, {})).toBe(false);
    expect(runner.seen).toHaveLength(1);
  });

  it('raises a typed error when iptables itself fails', async () => {
    const runner = new ScriptedRunner(() => ({ stdout: '', stderr: "can't initialize", exitCode: 3 }));
    await expect(new IptablesPacketMark(runner).ensureRule(rule, {})).rejects.toBeInstanceOf(
      NetworkSetupError,
    );
  });
});
