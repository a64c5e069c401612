import { readdir } from 'node:fs/promises';
import { CURRENT_NETNS, inNetns, type NetlinkPort, type NetnsTarget } from '@spiderpool/netlink';
import { HostNetworkError } from './errors.js';
import type { HostNetworkPort } from './host-network.port.js';
import type { ProcessRunner } from './process-runner.port.js';

const NETNS_DIR = '/var/run/netns';

/**
 * {@link HostNetworkPort} over @spiderpool/netlink's NetlinkPort (iproute2 through its one `inNetns` primitive).
 * The two things the port has no operation for — listing named namespaces and running an arbitrary command (ping)
 * in a namespace — are a directory read and `inNetns` + the injected runner.
 */
export class NetlinkHostNetwork implements HostNetworkPort {
  constructor(
    private readonly nl: NetlinkPort,
    private readonly runner: ProcessRunner,
  ) {}

  netnsPath(name: string): string {
    return `${NETNS_DIR}/${name}`;
  }

  async listNetns(): Promise<string[]> {
    try {
      return await readdir(NETNS_DIR);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new HostNetworkError(`listing ${NETNS_DIR}`, { cause: err });
    }
  }

  async ensureNetns(name: string): Promise<string> {
    const path = this.netnsPath(name);
    if (!(await this.nl.netnsPathExists(path))) await this.nl.createNetns(name);
    await this.nl.setLinkUp('lo', { netns: path });
    return path;
  }

  async deleteNetns(name: string): Promise<void> {
    if (await this.nl.netnsPathExists(this.netnsPath(name))) await this.nl.deleteNetns(name);
  }

  async listLinks(netns?: string): Promise<string[]> {
    return (await this.nl.listLinks(this.at(netns))).map((l) => l.name);
  }

  async ensureBridge(name: string): Promise<void> {
    await this.nl.ensureLink({ kind: 'bridge', name }, CURRENT_NETNS);
    await this.noAddresses(name);
    await this.nl.setLinkUp(name, CURRENT_NETNS);
  }

  async ensureVethToNetns(args: {
    hostEnd: string;
    bridge: string;
    peerEnd: string;
    peerNetns: string;
    addresses: readonly string[];
  }): Promise<void> {
    const { hostEnd, bridge, peerEnd, peerNetns, addresses } = args;
    const peerAt = this.at(peerNetns);
    const host = await this.nl.findLink(hostEnd, CURRENT_NETNS);
    const peer = await this.nl.findLink(peerEnd, peerAt);
    if (!host || !peer) {
      if (host) await this.nl.deleteLink(hostEnd, CURRENT_NETNS);
      await this.nl.createVethPair(
        { name: hostEnd, peer: { name: peerEnd, netns: this.netnsPath(peerNetns) } },
        CURRENT_NETNS,
      );
    }
    await this.noAddresses(hostEnd);
    await this.nl.setLinkMaster(hostEnd, bridge, CURRENT_NETNS);
    await this.nl.setLinkUp(hostEnd, CURRENT_NETNS);
    for (const cidr of addresses) {
      // IPv6 gateways are usable at once (no DAD): the segment is ours, nothing else can hold the address
      const v6 = cidr.includes(':');
      await this.nl.replaceAddress({ dev: peerEnd, cidr, ...(v6 ? { noDad: true } : {}) }, peerAt);
    }
    await this.nl.setLinkUp(peerEnd, peerAt);
  }

  async deleteLink(name: string): Promise<void> {
    if (await this.nl.findLink(name, CURRENT_NETNS)) await this.nl.deleteLink(name, CURRENT_NETNS);
  }

  async enableForwarding(netns: string, options: { ipv6?: boolean } = {}): Promise<void> {
    await this.nl.writeSysctl('net.ipv4.ip_forward', 1, this.at(netns));
    // a router between subnets sharing one segment must not redirect pods to each other (no VPC router does):
    // hop counts stay deterministic. `default` covers the links created in the namespace afterwards.
    for (const scope of ['all', 'default'])
      await this.nl.writeSysctl(`net.ipv4.conf.${scope}.send_redirects`, 0, this.at(netns));
    if (options.ipv6) await this.nl.writeSysctl('net.ipv6.conf.all.forwarding', 1, this.at(netns));
  }

  async supportsMacvlan(scratchNetns: string): Promise<boolean> {
    const at = { netns: await this.ensureNetns(scratchNetns) };
    try {
      await this.nl.createLink({ kind: 'dummy', name: 'probe0' }, at);
      await this.nl.createLink({ kind: 'macvlan', name: 'probe1', parent: 'probe0', mode: 'bridge' }, at);
      return true;
    } catch {
      return false;
    } finally {
      await this.deleteNetns(scratchNetns);
    }
  }

  async execIn(
    netns: string,
    argv: readonly string[],
  ): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const [file, ...rest] = inNetns(this.netnsPath(netns), argv);
    return this.runner.run(file ?? '', rest, { timeoutMs: 30_000 });
  }

  private at(netns: string | undefined): NetnsTarget {
    return netns === undefined ? CURRENT_NETNS : { netns: this.netnsPath(netns) };
  }

  /** The host side of the underlay carries no address at all, not even an IPv6 link-local one. */
  private async noAddresses(link: string): Promise<void> {
    await this.nl.writeSysctl(`net/ipv6/conf/${link}/disable_ipv6`, 1, CURRENT_NETNS);
  }
}
