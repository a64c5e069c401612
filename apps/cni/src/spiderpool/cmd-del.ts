// CNI DEL: best-effort and idempotent. One bounded release call; any agent failure (down, timeout,
// error answer) is logged and DEL still succeeds — the agent's GC reclaims what is left.
import { errorMessage } from '../errors.js';
import { LOG_FIELD } from '../logging/log-fields.js';
import type { CmdArgs } from '../skel/plugin.port.js';
import type { SpiderpoolConf } from './netconf.schema.js';
import type { SpiderpoolPorts } from './ports.js';

export async function cmdDel(args: CmdArgs<SpiderpoolConf>, ports: SpiderpoolPorts): Promise<void> {
  try {
    await ports.agent.release({
      containerID: args.containerId,
      netNamespace: args.netns,
      ifName: args.ifName,
      podName: args.cniArgs.podName,
      podNamespace: args.cniArgs.podNamespace,
      podUID: args.cniArgs.podUID,
    });
    ports.logger.info('IPAM release successfully');
  } catch (e) {
    ports.logger.warn({ [LOG_FIELD.err]: errorMessage(e) }, 'spiderpool IP release error; left to GC');
  }
}
