// Behaviour both NetlinkPort implementations share (the iproute2 one and the in-memory fake). Pure or written
// against the port only, so the fake does not pull in the iproute2 implementation or its I/O imports.
import { basename, dirname } from 'node:path';
import { AlreadyExistsError, InvalidArgumentError, NotFoundError } from './errors.js';
import { checkLinkName, checkNetnsName } from './netlink.schemas.js';
import type { Link, LinkSpec, NetlinkPort, NetnsTarget } from './netlink.port.js';

/** `arp_notify` / `ndisc_notify` on the link; IPv6 may be disabled, then only the IPv4 knob is set. */
export async function announceViaSysctls(port: NetlinkPort, name: string, at: NetnsTarget): Promise<void> {
  checkLinkName(name);
  await port.getLink(name, at);
  await port.writeSysctl(`net/ipv4/conf/${name}/arp_notify`, 1, at);
  try {
    await port.writeSysctl(`net/ipv6/conf/${name}/ndisc_notify`, 1, at);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
}

/** `/var/run/netns/x`, `/run/netns/x` or `x` → `x`. */
export function netnsNameOf(nameOrPath: string): string {
  if (!nameOrPath.includes('/')) return checkNetnsName(nameOrPath);
  const dir = dirname(nameOrPath);
  if (dir !== '/var/run/netns' && dir !== '/run/netns') {
    throw new InvalidArgumentError('netns', `only named namespaces can be deleted: ${nameOrPath}`);
  }
  return checkNetnsName(basename(nameOrPath));
}

export function sameKindOrThrow(existing: Link, spec: LinkSpec): Link {
  if (existing.kind === spec.kind) return existing;
  throw new AlreadyExistsError('link', `${spec.name} (a ${existing.kind ?? 'device'}, not a ${spec.kind})`);
}
