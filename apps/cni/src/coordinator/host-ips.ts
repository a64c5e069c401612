// The node addresses the pod must reach through the host-side path (spec §3.3 step 11): the source
// address the host uses towards each pod IP, then every address of "real" host links.
import type { NetlinkPort, NetnsTarget } from '@spiderpool/netlink';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import { canonicalIp, ipFamily, isLinkLocal, isMulticast, type Family } from './ip-address.js';

/** Host links whose addresses are not node addresses (container bridges, tunnels, veths …). */
export const EXCLUDED_HOST_LINKS: readonly RegExp[] = [
  /^docker.*/,
  /^cbr.*/,
  /^dummy.*/,
  /^virbr.*/,
  /^lxcbr.*/,
  /^veth.*/,
  /^lo$/,
  /^cali.*/,
  /^flannel.*/,
  /^kube-ipvs.*/,
  /^cni.*/,
  /^vx-submariner/,
  /^cilium*/,
];

export async function collectHostIPs(
  netlink: NetlinkPort,
  host: NetnsTarget,
  podIPs: readonly string[],
  families: readonly Family[],
  logger: Logger,
): Promise<string[]> {
  const out: string[] = [];
  const push = (ip: string | undefined) => {
    const c = ip === undefined ? undefined : canonicalIp(ip);
    const f = c === undefined ? undefined : ipFamily(c);
    if (c === undefined || f === undefined || !families.includes(f)) return;
    if (isLinkLocal(c) || isMulticast(c) || out.includes(c)) return;
    out.push(c);
  };
  for (const ip of podIPs) {
    try {
      push((await netlink.getRouteTo(ip, host)).src);
    } catch (e) {
      logger.debug({ ip, err: errorMessage(e) }, 'host has no route to the pod IP');
    }
  }
  const links = await netlink.listLinks(host);
  const usable = new Set(
    links.filter((l) => !EXCLUDED_HOST_LINKS.some((re) => re.test(l.name))).map((l) => l.name),
  );
  for (const a of await netlink.listAddresses({}, host)) {
    if (usable.has(a.dev)) push(a.ip);
  }
  return out;
}
