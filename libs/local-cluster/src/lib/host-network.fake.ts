import type { HostNetworkPort } from './host-network.port.js';

interface FakeLink {
  netns: string | undefined;
  master?: string;
  addresses?: readonly string[];
  peer?: string;
}

/** In-memory host networking: namespaces, links (with veth peers), addresses and per-netns forwarding. */
export class FakeHostNetwork implements HostNetworkPort {
  readonly netns = new Set<string>();
  readonly links = new Map<string, FakeLink>();
  readonly forwarding = new Set<string>();
  readonly forwardingIPv6 = new Set<string>();
  readonly execs: { netns: string; argv: readonly string[] }[] = [];

  netnsPath(name: string): string {
    return `/var/run/netns/${name}`;
  }
  async listNetns(): Promise<string[]> {
    return [...this.netns];
  }
  async ensureNetns(name: string): Promise<string> {
    this.netns.add(name);
    return this.netnsPath(name);
  }
  async deleteNetns(name: string): Promise<void> {
    this.netns.delete(name);
    this.forwarding.delete(name);
    this.forwardingIPv6.delete(name);
    for (const [n, l] of this.links) if (l.netns === name) this.links.delete(n);
  }
  async listLinks(netns?: string): Promise<string[]> {
    return [...this.links].filter(([, l]) => l.netns === netns).map(([n]) => n);
  }
  async ensureBridge(name: string): Promise<void> {
    if (!this.links.has(name)) this.links.set(name, { netns: undefined });
  }
  async ensureVethToNetns(args: {
    hostEnd: string;
    bridge: string;
    peerEnd: string;
    peerNetns: string;
    addresses: readonly string[];
  }): Promise<void> {
    if (!this.netns.has(args.peerNetns)) throw new Error(`no netns ${args.peerNetns}`);
    this.links.set(args.hostEnd, { netns: undefined, master: args.bridge, peer: args.peerEnd });
    this.links.set(args.peerEnd, {
      netns: args.peerNetns,
      addresses: [...args.addresses],
      peer: args.hostEnd,
    });
  }
  async deleteLink(name: string): Promise<void> {
    const link = this.links.get(name);
    if (!link || link.netns !== undefined) return;
    this.links.delete(name);
    if (link.peer) this.links.delete(link.peer);
  }
  async enableForwarding(netns: string, options: { ipv6?: boolean } = {}): Promise<void> {
    this.forwarding.add(netns);
    if (options.ipv6) this.forwardingIPv6.add(netns);
  }
  macvlan = false;
  async supportsMacvlan(): Promise<boolean> {
    return this.macvlan;
  }
  async execIn(netns: string, argv: readonly string[]) {
    this.execs.push({ netns, argv });
    return { exitCode: 0, stdout: '', stderr: '' };
  }
}
