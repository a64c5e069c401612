// PacketMarkPort over the node's iptables/ip6tables binaries, run inside the target namespace through
// the netlink lib's one namespace primitive (`inNetns` → `nsenter --net=<path>`). `-w` waits for the
// xtables lock as upstream's helper does.
import { inNetns, type CommandRunner, type NetnsTarget } from '@spiderpool/netlink';
import { NetworkSetupError } from './coordinator.errors.js';
import type { FirewallRule, PacketMarkPort } from './packet-mark.port.js';

export class IptablesPacketMark implements PacketMarkPort {
  constructor(private readonly runner: CommandRunner) {}

  async ensureRule(rule: FirewallRule, at: NetnsTarget): Promise<boolean> {
    if (await this.exists(rule, at)) return false;
    await this.must(rule, '-A', at);
    return true;
  }

  async deleteRule(rule: FirewallRule, at: NetnsTarget): Promise<boolean> {
    if (!(await this.exists(rule, at))) return false;
    await this.must(rule, '-D', at);
    return true;
  }

  private argv(rule: FirewallRule, op: string, at: NetnsTarget): string[] {
    const bin = rule.family === 6 ? 'ip6tables' : 'iptables';
    return inNetns(at.netns, [bin, '-w', '5', '-t', rule.table, op, rule.chain, ...rule.args]);
  }

  private async exists(rule: FirewallRule, at: NetnsTarget): Promise<boolean> {
    const r = await this.runner.run(this.argv(rule, '-C', at));
    if (r.exitCode === 0) return true;
    if (r.exitCode === 1) return false; // "Bad rule (does a matching rule exist in that chain?)"
    throw new NetworkSetupError(
      'iptables',
      `check failed (exit ${r.exitCode ?? 'signal'}): ${r.stderr.trim()}`,
    );
  }

  private async must(rule: FirewallRule, op: string, at: NetnsTarget): Promise<void> {
    const argv = this.argv(rule, op, at);
    const r = await this.runner.run(argv);
    if (r.exitCode !== 0)
      throw new NetworkSetupError(
        'iptables',
        `${argv.join(' ')} failed (exit ${r.exitCode ?? 'signal'}): ${r.stderr.trim()}`,
      );
  }
}
