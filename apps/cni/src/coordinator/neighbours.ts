// Static neighbour entries both ways across the pod↔host device pair (spec §3.3 step 18), so that
// neither side needs ARP/NDP on the auxiliary path.
import type { WiredContext } from './add-context.js';
import { ipFamily } from './ip-address.js';
import { errorMessage } from '../errors.js';

export async function setupNeighbours(ctx: WiredContext): Promise<void> {
  const { netlink } = ctx.ports;
  const podMac = (await netlink.getLink(ctx.podDev, ctx.pod)).mac;
  const hostMac = (await netlink.getLink(ctx.hostDev, ctx.host)).mac;
  for (const family of ctx.families) {
    // Stale entries for our addresses (a previous pod with the same IP) on any host link.
    const stale = (await netlink.listNeighbours({ family }, ctx.host)).filter((n) =>
      ctx.currentAddresses.includes(n.ip),
    );
    for (const n of stale) {
      await netlink.deleteNeighbour({ dev: n.dev, ip: n.ip }, ctx.host).catch((e: unknown) => {
        ctx.logger.warn({ ip: n.ip, dev: n.dev, err: errorMessage(e) }, 'failed to delete a stale neighbour');
      });
    }
  }
  if (podMac) {
    for (const ip of ctx.currentAddresses) {
      await ctx.nl.addNeighbour({ dev: ctx.hostDev, ip, lladdr: podMac, state: 'permanent' }, ctx.host);
    }
  }
  if (ctx.decision.firstInvoke && hostMac) {
    for (const ip of ctx.hostIPs) {
      if (ipFamily(ip) === undefined) continue;
      await ctx.nl.addNeighbour({ dev: ctx.podDev, ip, lladdr: hostMac, state: 'permanent' }, ctx.pod);
    }
  }
}
