// In-memory PacketMarkPort: rules per namespace, in insertion order.
import type { NetnsTarget } from '@spiderpool/netlink';
import type { FirewallRule, PacketMarkPort } from './packet-mark.port.js';

const key = (r: FirewallRule) => `${r.family} ${r.table} ${r.chain} ${r.args.join(' ')}`;

export class FakePacketMark implements PacketMarkPort {
  readonly rules = new Map<string, string[]>();
  failure: Error | undefined;

  list(netns: string | undefined): string[] {
    return this.rules.get(netns ?? '') ?? [];
  }

  async ensureRule(rule: FirewallRule, at: NetnsTarget): Promise<boolean> {
    if (this.failure) throw this.failure;
    const list = this.list(at.netns);
    if (list.includes(key(rule))) return false;
    this.rules.set(at.netns ?? '', [...list, key(rule)]);
    return true;
  }

  async deleteRule(rule: FirewallRule, at: NetnsTarget): Promise<boolean> {
    const list = this.list(at.netns);
    if (!list.includes(key(rule))) return false;
    this.rules.set(
      at.netns ?? '',
      list.filter((k) => k !== key(rule)),
    );
    return true;
  }
}
