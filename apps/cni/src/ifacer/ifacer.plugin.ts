// The `ifacer` plugin wired for the skel: host-side VLAN/bond devices. DEL and CHECK are no-ops
// (devices are shared by every pod on the node and never removed).
import type { NetlinkPort } from '@spiderpool/netlink';
import type { CniPlugin } from '../skel/plugin.port.js';
import { toCoordinatorCniError } from '../coordinator/cni-error.mapper.js';
import { cmdAdd, type IfacerPorts } from './cmd-add.js';
import { IFACER_CNI_VERSIONS, parseIfacerNetconf, type IfacerNetconf } from './netconf.schema.js';

export const IFACER_ABOUT = 'Subvlan';

export interface IfacerDeps {
  netlink(): NetlinkPort;
  /** Where warnings go; stderr by default. */
  warn?(message: string): void;
}

export function createIfacerPlugin(deps: IfacerDeps): CniPlugin<IfacerNetconf, IfacerPorts> {
  return {
    name: 'ifacer',
    about: IFACER_ABOUT,
    supportedVersions: IFACER_CNI_VERSIONS,
    parseConf: parseIfacerNetconf,
    createPorts: () => ({
      netlink: deps.netlink(),
      warn: deps.warn ?? ((m: string) => void process.stderr.write(`${m}\n`)),
    }),
    add: cmdAdd,
    del: async () => undefined,
    check: async () => undefined,
    status: async () => undefined,
    gc: async () => undefined,
    toCniError: toCoordinatorCniError,
  };
}
