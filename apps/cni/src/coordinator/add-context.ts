// State shared by the steps of one coordinator ADD (spec §3.3), built up as the steps run.
import type { NetnsTarget } from '@spiderpool/netlink';
import type { Logger } from 'pino';
import type { ResolvedCoordinatorConfig } from './coordinator-config.js';
import type { Family } from './ip-address.js';
import type { JournaledNetlink } from './journaled-netlink.js';
import type { ModeDecision } from './mode.js';
import type { CoordinatorPorts } from './ports.js';
import type { UndoJournal } from './undo-journal.js';

export interface AddContext {
  readonly pod: NetnsTarget;
  readonly host: NetnsTarget;
  readonly containerId: string;
  readonly ifName: string;
  readonly cfg: ResolvedCoordinatorConfig;
  readonly ports: CoordinatorPorts;
  readonly logger: Logger;
  readonly nl: JournaledNetlink;
  readonly journal: UndoJournal;
  /** Families in use on IfName, v4 first. */
  readonly families: readonly Family[];
  /** Non-link-local unicast IPs on IfName (v4 first). */
  readonly currentAddresses: readonly string[];
  readonly decision: ModeDecision;
}

/** After the devices are known. */
export interface WiredContext extends AddContext {
  /** Pod-side device towards the host: `veth0` (underlay) or `eth0` (overlay). */
  readonly podDev: string;
  /** Host-side device towards the pod: `veth<cid11>` (underlay) or the overlay CNI's veth. */
  readonly hostDev: string;
  readonly hostIPs: readonly string[];
  /** First IPv4 on the pod's first NIC; IPv6 routes never carry a source (D17). */
  readonly podSrcV4: string | undefined;
}

export function hasFamily(ctx: { families: readonly Family[] }, f: Family): boolean {
  return ctx.families.includes(f);
}
