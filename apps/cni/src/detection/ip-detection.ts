// IP-conflict / gateway-reachability detection and announcements for the IPs the agent allocated to the
// interface being added (spec §1.6, §1.7; docs/adr/0014-ip-conflict-detection.md). Runs against injected ports:
// the probes themselves (arping / ndisc6 inside the pod netns) live in libs/netlink.
import type { IpConfig, IpamAddResponse } from '@spiderpool/agent-api';
import type { NeighbourProbe, NetlinkPort } from '@spiderpool/netlink';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import { LOG_FIELD } from '../logging/log-fields.js';
import { DetectionFailedError, IpConflictError, UnreachableGatewayError } from './detection.errors.js';

export interface DetectionPorts {
  netlink: Pick<NetlinkPort, 'setLinkUp'>;
  probe: NeighbourProbe;
  logger: Logger;
}

export interface PodLink {
  /** Pod netns path (`CNI_NETNS`). */
  netns: string;
  /** `CNI_IFNAME`. */
  ifName: string;
}

interface Check {
  ip: string;
  conflict: boolean;
  /** Set only when the gateway flag is on and the entry has a gateway. */
  gateway: string | undefined;
}

/** The entries of `resp` that ask for detection on `ifName`, as per-family check lists. */
export function detectionPlan(resp: IpamAddResponse, ifName: string): { v4: Check[]; v6: Check[] } {
  const plan: { v4: Check[]; v6: Check[] } = { v4: [], v6: [] };
  for (const e of resp.ips) {
    if (e.nic !== ifName) continue;
    const check = checkOf(e);
    if (!check.conflict && check.gateway === undefined) continue;
    (e.version === 4 ? plan.v4 : plan.v6).push(check);
  }
  return plan;
}

function checkOf(e: IpConfig): Check {
  return {
    ip: bareIp(e.address),
    conflict: e.enableIPConflictDetection === true,
    gateway: e.enableGatewayDetection === true && e.gateway ? e.gateway : undefined,
  };
}

function bareIp(address: string): string {
  return address.split('/')[0] ?? address;
}

/**
 * Sets the link up and runs the IPv4 and IPv6 workers concurrently; each checks every address for conflicts
 * first (so that no gateway learns a conflicting binding from our request), then the gateways. The first
 * error wins: `IpConflictError`, `UnreachableGatewayError`, or `DetectionFailedError` for anything else.
 */
export async function detectIpConflicts(
  resp: IpamAddResponse,
  link: PodLink,
  ports: DetectionPorts,
): Promise<void> {
  const plan = detectionPlan(resp, link.ifName);
  if (plan.v4.length === 0 && plan.v6.length === 0) return;
  try {
    await ports.netlink.setLinkUp(link.ifName, { netns: link.netns });
  } catch (e) {
    throw new DetectionFailedError('failed to set link up', e);
  }
  const workers = [plan.v4, plan.v6].filter((c) => c.length > 0).map((c) => runWorker(c, link, ports));
  await Promise.all(workers);
  ports.logger.debug(
    { ips: [...plan.v4, ...plan.v6].map((c) => c.ip) },
    'IP conflict / gateway detection passed',
  );
}

async function runWorker(checks: readonly Check[], link: PodLink, ports: DetectionPorts): Promise<void> {
  const at = { netns: link.netns, ifName: link.ifName };
  for (const c of checks) {
    if (!c.conflict) continue;
    let r;
    try {
      r = await ports.probe.probeAddressConflict({ ...at, ip: c.ip });
    } catch (e) {
      throw new DetectionFailedError(`failed to detect address conflict of ${c.ip} on ${link.ifName}`, e);
    }
    if (r.conflict) throw new IpConflictError(link.ifName, c.ip, r.mac);
  }
  for (const c of checks) {
    if (c.gateway === undefined) continue;
    let r;
    try {
      r = await ports.probe.probeGateway({ ...at, ip: c.ip, gateway: c.gateway });
    } catch (e) {
      throw new DetectionFailedError(
        `failed to detect reachability of gateway ${c.gateway} on ${link.ifName}`,
        e,
      );
    }
    if (!r.reachable) throw new UnreachableGatewayError(link.ifName, c.ip, c.gateway);
  }
}

/**
 * One gratuitous ARP / NS per IP of `ifName` (only this interface's IPs: spec D1), concurrently. Never throws:
 * the link may still be down when detection is off, so failures are only logged.
 */
export async function announceAddresses(
  resp: IpamAddResponse,
  link: PodLink,
  ports: Pick<DetectionPorts, 'probe' | 'logger'>,
): Promise<void> {
  const ips = resp.ips.filter((e) => e.nic === link.ifName).map((e) => bareIp(e.address));
  await Promise.all(
    ips.map(async (ip) => {
      try {
        await ports.probe.announce({ netns: link.netns, ifName: link.ifName, ip });
      } catch (e) {
        ports.logger.warn({ ip, [LOG_FIELD.err]: errorMessage(e) }, 'failed to announce the IP (GARP/NS)');
      }
    }),
  );
}
