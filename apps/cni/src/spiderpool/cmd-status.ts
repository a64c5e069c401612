// CNI STATUS (1.1.0): the plugin can serve ADD iff the agent answers its health check.
import { CniError, errorMessage } from '../errors.js';
import { CNI_CODE } from '../skel/cni-codes.js';
import type { CmdArgs } from '../skel/plugin.port.js';
import type { SpiderpoolConf } from './netconf.schema.js';
import type { SpiderpoolPorts } from './ports.js';

export async function cmdStatus(_args: CmdArgs<SpiderpoolConf>, ports: SpiderpoolPorts): Promise<void> {
  try {
    await ports.agent.healthy();
  } catch (e) {
    throw new CniError(CNI_CODE.PLUGIN_NOT_AVAILABLE, 'spiderpool-agent is not available', errorMessage(e));
  }
}
