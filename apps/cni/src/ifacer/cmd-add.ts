// ifacer ADD (spec §4.2): ensure the host-side VLAN and/or bond devices a following macvlan/ipvlan
// plugin uses as master. Idempotent: existing devices are reused, missing ones created.
import { AlreadyExistsError, CURRENT_NETNS, type NetlinkPort } from '@spiderpool/netlink';
import { InvalidNetconfError } from '../errors.js';
import type { CniResult } from '../skel/cni-result.js';
import type { CmdArgs } from '../skel/plugin.port.js';
import { parseBondOptions } from './bond-options.js';
import type { BondConf, IfacerNetconf } from './netconf.schema.js';

export interface IfacerPorts {
  netlink: NetlinkPort;
  /** Operator-facing warnings (stderr; stdout is the result channel). */
  warn(message: string): void;
}

const host = CURRENT_NETNS;

export async function cmdAdd(args: CmdArgs<IfacerNetconf>, ports: IfacerPorts): Promise<CniResult> {
  const { interfaces, vlanId, bond } = args.conf;
  const empty: CniResult = { ips: [], dns: {} };
  if (interfaces.length === 1) {
    if (bond) ports.warn('ifacer: bond is ignored with a single interface');
    if (vlanId !== 0) await ensureVlan(ports, interfaces[0] as string, vlanId);
    return empty;
  }
  if (!bond) {
    ports.warn(`ifacer: ${interfaces.length} interfaces but no bond configured; nothing to do`);
    return empty;
  }
  const bondName = await ensureBond(ports, bond, interfaces);
  if (vlanId !== 0) await ensureVlan(ports, bondName, vlanId);
  return empty;
}

/** Name of the VLAN sub-interface: `<parent>.<id>`. */
export function vlanName(parent: string, vlanId: number): string {
  return `${parent}.${vlanId}`;
}

async function ensureVlan(ports: IfacerPorts, parent: string, vlanId: number): Promise<string> {
  const { netlink } = ports;
  const name = vlanName(parent, vlanId);
  if (name.length > 15)
    throw new InvalidNetconfError(`invalid config: vlan interface name ${name} is longer than 15 characters`);
  const links = await netlink.listLinks(host);
  const clash = links.find((l) => l.kind === 'vlan' && l.name !== name && l.name.endsWith(`.${vlanId}`));
  if (clash) {
    throw new InvalidNetconfError(
      `cannot have multiple different vlan interfaces with the same vlanId ${vlanId} on node at the same time (${clash.name})`,
    );
  }
  await netlink.setLinkUp(parent, host);
  try {
    await netlink.ensureLink({ kind: 'vlan', name, parent, vlanId }, host);
  } catch (e) {
    if (e instanceof AlreadyExistsError) {
      throw new InvalidNetconfError(
        `invalid config: a non-vlan interface named ${name} already exists on the host`,
      );
    }
    throw e;
  }
  await netlink.setLinkUp(name, host);
  return name;
}

async function ensureBond(
  ports: IfacerPorts,
  bond: BondConf,
  interfaces: readonly string[],
): Promise<string> {
  const { netlink } = ports;
  const existing = await netlink.findLink(bond.name, host);
  if (existing) {
    if (existing.kind !== 'bond') {
      throw new InvalidNetconfError(
        `createBondDevice failure: a non-bond type interface named ${bond.name} already exists on the host`,
      );
    }
    await netlink.setLinkUp(bond.name, host);
    return bond.name;
  }
  const { options, warnings } = parseBondOptions(bond.options);
  for (const w of warnings) ports.warn(`ifacer: ${w}`);
  try {
    await netlink.createLink({ kind: 'bond', name: bond.name, mode: bond.mode, options }, host);
  } catch (e) {
    if (!(e instanceof AlreadyExistsError)) throw e; // a concurrent ADD created it first
  }
  for (const iface of interfaces) {
    const link = await netlink.getLink(iface, host);
    if (link.master === bond.name) continue;
    await netlink.setLinkDown(iface, host);
    await netlink.setLinkMaster(iface, bond.name, host);
    await netlink.setLinkUp(iface, host);
  }
  await netlink.setLinkUp(bond.name, host);
  return bond.name;
}
