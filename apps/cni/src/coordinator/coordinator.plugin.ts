// The `coordinator` chained plugin wired for the skel. Port factories are injected so unit tests run
// against FakeNetlink, FakePacketMark and FakeAgentClient.
import type { NetlinkPort } from '@spiderpool/netlink';
import type { Logger } from 'pino';
import type { AgentClient } from '../agent-client/agent-client.port.js';
import { commandLogger, logCommandFailure } from '../logging/command-logger.js';
import type { CmdArgs, CniPlugin } from '../skel/plugin.port.js';
import { toCoordinatorCniError } from './cni-error.mapper.js';
import { cmdAdd } from './cmd-add.js';
import { cmdDel } from './cmd-del.js';
import {
  COORDINATOR_CNI_VERSIONS,
  parseCoordinatorNetconf,
  type CoordinatorNetconf,
} from './netconf.schema.js';
import type { PacketMarkPort } from './packet-mark.port.js';
import type { CoordinatorPorts } from './ports.js';

export const COORDINATOR_ABOUT = 'Coordinator';

export interface CoordinatorDeps {
  openLogger(conf: CoordinatorNetconf): Logger;
  createAgentClient(conf: CoordinatorNetconf): AgentClient;
  netlink(): NetlinkPort;
  packetMark(): PacketMarkPort;
  randomBytes(n: number): Uint8Array;
}

export function createCoordinatorPlugin(
  deps: CoordinatorDeps,
): CniPlugin<CoordinatorNetconf, CoordinatorPorts> {
  return {
    name: 'coordinator',
    about: COORDINATOR_ABOUT,
    supportedVersions: COORDINATOR_CNI_VERSIONS,
    parseConf: parseCoordinatorNetconf,
    createPorts(args: CmdArgs<CoordinatorNetconf>): CoordinatorPorts {
      const logger = commandLogger(deps.openLogger(args.conf), args);
      return {
        logger,
        agent: deps.createAgentClient(args.conf),
        netlink: deps.netlink(),
        packetMark: deps.packetMark(),
        randomBytes: deps.randomBytes,
      };
    },
    add: cmdAdd,
    del: cmdDel,
    check: async () => undefined,
    status: async () => undefined,
    gc: async () => undefined,
    toCniError: toCoordinatorCniError,
    onError: logCommandFailure,
  };
}
