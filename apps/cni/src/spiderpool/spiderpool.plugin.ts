// The `spiderpool` IPAM plugin: netconf parser, command handlers and error mapper wired for the skel.
// Port factories are injected so tests run without files or sockets.
import type { NeighbourProbe, NetlinkPort } from '@spiderpool/netlink';
import type { Logger } from 'pino';
import type { AgentClient } from '../agent-client/agent-client.port.js';
import { commandLogger, logCommandFailure } from '../logging/command-logger.js';
import type { CmdArgs, CniPlugin } from '../skel/plugin.port.js';
import { cmdAdd } from './cmd-add.js';
import { cmdCheck } from './cmd-check.js';
import { cmdDel } from './cmd-del.js';
import { cmdGc } from './cmd-gc.js';
import { cmdStatus } from './cmd-status.js';
import { SPIDERPOOL_ABOUT, cmdVersion } from './cmd-version.js';
import { toCniError } from './cni-error.mapper.js';
import { parseSpiderpoolConf, type SpiderpoolConf } from './netconf.schema.js';
import type { SpiderpoolPorts } from './ports.js';

export interface SpiderpoolDeps {
  version: string;
  openLogger(conf: SpiderpoolConf): Logger;
  createAgentClient(conf: SpiderpoolConf): AgentClient;
  /** Constructors must be inert: called for every command, used by ADD only. */
  netlink(): Pick<NetlinkPort, 'setLinkUp'>;
  neighbourProbe(): NeighbourProbe;
}

export function createSpiderpoolPlugin(deps: SpiderpoolDeps): CniPlugin<SpiderpoolConf, SpiderpoolPorts> {
  return {
    name: 'spiderpool',
    about: `${SPIDERPOOL_ABOUT} ${deps.version}`,
    supportedVersions: cmdVersion().supportedVersions,
    parseConf: parseSpiderpoolConf,
    createPorts(args: CmdArgs<SpiderpoolConf>): SpiderpoolPorts {
      const logger = commandLogger(deps.openLogger(args.conf), args);
      return {
        logger,
        agent: deps.createAgentClient(args.conf),
        netlink: deps.netlink(),
        probe: deps.neighbourProbe(),
      };
    },
    add: cmdAdd,
    del: cmdDel,
    check: cmdCheck,
    status: cmdStatus,
    gc: cmdGc,
    toCniError,
    onError: logCommandFailure,
  };
}
