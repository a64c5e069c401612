// The pod↔host device pair: created on the first underlay NIC (spec §3.3 step 12a), looked up otherwise.
import { AlreadyExistsError, NotFoundError } from '@spiderpool/netlink';
import type { AddContext } from './add-context.js';
import { hasFamily } from './add-context.js';
import { NetworkSetupError } from './coordinator.errors.js';
import { ignoreNotFound } from './journaled-netlink.js';
import { POD_VETH } from './mode.js';

/** Host-side name of the underlay veth: `veth` + the first 11 characters of the container ID. */
export function hostVethName(containerId: string): string {
  return `veth${containerId.slice(0, 11)}`;
}

/** A random locally administered unicast MAC. */
export function randomMac(randomBytes: (n: number) => Uint8Array): string {
  const b = Array.from(randomBytes(6));
  b[0] = ((b[0] ?? 0) & 0xfe) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Creates veth0 (pod) ↔ veth<cid11> (host), brings both up, and gives each an explicit MAC. */
export async function setupVeth(ctx: AddContext): Promise<string> {
  const { netlink } = ctx.ports;
  const hostDev = hostVethName(ctx.containerId);
  const podMac = randomMac(ctx.ports.randomBytes);
  const hostMac = randomMac(ctx.ports.randomBytes);
  try {
    // Created from the host side with the peer placed in the pod: no path for the host netns is needed.
    await netlink.createVethPair(
      {
        name: hostDev,
        mtu: ctx.cfg.vethMTU,
        peer: { name: POD_VETH, mtu: ctx.cfg.vethMTU, mac: podMac, netns: ctx.pod.netns },
      },
      ctx.host,
    );
  } catch (e) {
    if (e instanceof AlreadyExistsError) {
      throw new NetworkSetupError(
        'setupVeth',
        `container veth name ("${POD_VETH}") peer provided (${hostDev}) already exists`,
        { cause: e },
      );
    }
    throw e;
  }
  ctx.logger.debug({ hostDev }, 'veth pair created');
  // Deleting the host end removes both ends, their neighbours and the routes that used them.
  const host = ctx.host;
  recordVethUndo(ctx, hostDev);
  try {
    await netlink.setLinkUp(hostDev, host);
    if (hasFamily(ctx, 6)) {
      await netlink.writeSysctl(`net/ipv6/conf/${hostDev}/accept_ra`, 0, host);
    } else {
      await netlink.writeSysctl(`net/ipv6/conf/${hostDev}/accept_ra`, 0, host).catch((e: unknown) => {
        if (!(e instanceof NotFoundError)) throw e; // IPv6 disabled on the node
      });
    }
    await netlink.setLinkUp(POD_VETH, ctx.pod);
    if (hasFamily(ctx, 4) && ctx.cfg.vethLinkAddress !== '')
      await netlink.addAddress({ dev: POD_VETH, cidr: `${ctx.cfg.vethLinkAddress}/32` }, ctx.pod);
    // Explicit MAC after creation so that udev's MACAddressPolicy does not rewrite it.
    await netlink.setHardwareAddr(hostDev, hostMac, host);
  } catch (e) {
    throw new NetworkSetupError('setupVeth', (e as Error).message, { cause: e });
  }
  return hostDev;
}

function recordVethUndo(ctx: AddContext, hostDev: string): void {
  ctx.journal.record(`veth ${hostDev}`, () =>
    ignoreNotFound(ctx.ports.netlink.deleteLink(hostDev, ctx.host)),
  );
}

/** Overlay: the host link whose ifindex is the peer index of the pod's `eth0` veth. */
export async function overlayHostDev(ctx: AddContext, podDev: string): Promise<string> {
  const { netlink } = ctx.ports;
  const podLink = await netlink.getLink(podDev, ctx.pod);
  if (podLink.peerIndex === undefined) {
    throw new NetworkSetupError('overlay', `${podDev} in the pod is not a veth: no peer index`);
  }
  const hostLink = (await netlink.listLinks(ctx.host)).find((l) => l.index === podLink.peerIndex);
  if (!hostLink) {
    throw new NetworkSetupError(
      'overlay',
      `no host link with ifindex ${podLink.peerIndex} (peer of the pod's ${podDev})`,
    );
  }
  return hostLink.name;
}
