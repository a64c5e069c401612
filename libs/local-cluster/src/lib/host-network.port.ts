/**
 * The host networking operations the local cluster needs (intent-level, idempotent where named `ensure*`).
 * Namespaces are addressed by name (`/var/run/netns/<name>`); `undefined` means the root namespace.
 * Implemented over @spiderpool/netlink's NetlinkPort by NetlinkHostNetwork; faked in unit tests.
 */
export interface HostNetworkPort {
  listNetns(): Promise<string[]>;
  ensureNetns(name: string): Promise<string>;
  deleteNetns(name: string): Promise<void>;
  netnsPath(name: string): string;
  /** Names of the links in a namespace. */
  listLinks(netns?: string): Promise<string[]>;
  /** A bridge in the root namespace, up, with no address. */
  ensureBridge(name: string): Promise<void>;
  /**
   * A veth pair: `hostEnd` in the root namespace, enslaved to `bridge` and up; `peerEnd` moved into `peerNetns`,
   * up, with `addresses` (CIDRs, IPv4 or IPv6; IPv6 ones without duplicate address detection) on it.
   */
  ensureVethToNetns(args: {
    hostEnd: string;
    bridge: string;
    peerEnd: string;
    peerNetns: string;
    addresses: readonly string[];
  }): Promise<void>;
  /** Deletes a root-namespace link if present (a veth takes its peer with it). */
  deleteLink(name: string): Promise<void>;
  /**
   * Enables IPv4 forwarding (and with `ipv6: true` IPv6 forwarding) inside a (non-root) namespace only, without
   * IPv4 ICMP redirects (IPv6 has no such switch: its redirects may shortcut same-segment subnets).
   */
  enableForwarding(netns: string, options?: { ipv6?: boolean }): Promise<void>;
  /** Whether the kernel can create macvlan links (tried in the given scratch namespace, which is removed again). */
  supportsMacvlan(scratchNetns: string): Promise<boolean>;
  /** Runs a command inside a namespace (`ip netns exec`), e.g. ping; returns the exit code and output. */
  execIn(
    netns: string,
    argv: readonly string[],
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}
