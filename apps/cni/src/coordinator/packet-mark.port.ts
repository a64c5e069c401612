// The reply-path marking of underlay pods needs netfilter rules (mangle table), which the netlink port
// does not model. This port ensures/removes such rules inside a namespace.
import type { NetnsTarget } from '@spiderpool/netlink';
import type { Family } from './ip-address.js';

export interface FirewallRule {
  readonly family: Family;
  readonly table: 'mangle';
  readonly chain: 'PREROUTING' | 'OUTPUT';
  /** Match + target arguments, e.g. `['-m', 'mark', '--mark', '0x1', '-j', 'CONNMARK', '--save-mark']`. */
  readonly args: readonly string[];
}

export interface PacketMarkPort {
  /** Appends the rule unless an identical one exists; resolves `true` when it was added. */
  ensureRule(rule: FirewallRule, at: NetnsTarget): Promise<boolean>;
  /** Deletes the rule; resolves `false` when it was not there. */
  deleteRule(rule: FirewallRule, at: NetnsTarget): Promise<boolean>;
}

/** The three mangle rules that make replies to connections entering via veth0 leave via veth0. */
export function replyPathRules(family: Family, podVeth: string): FirewallRule[] {
  return [
    {
      family,
      table: 'mangle',
      chain: 'PREROUTING',
      args: [
        '-i',
        podVeth,
        '-m',
        'conntrack',
        '--ctstate',
        'NEW',
        '-j',
        'MARK',
        '--set-xmark',
        '0x1/0xffffffff',
      ],
    },
    {
      family,
      table: 'mangle',
      chain: 'PREROUTING',
      args: ['-m', 'mark', '--mark', '0x1', '-j', 'CONNMARK', '--save-mark'],
    },
    { family, table: 'mangle', chain: 'OUTPUT', args: ['-j', 'CONNMARK', '--restore-mark'] },
  ];
}
