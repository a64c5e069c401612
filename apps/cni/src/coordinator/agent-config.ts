// Asks the agent for the pod's SpiderCoordinator view and merges it with the netconf.
import type { CoordinatorConfig } from '@spiderpool/agent-api';
import { errorMessage } from '../errors.js';
import { ContextualError } from '../spiderpool/cni-error.mapper.js';
import type { CmdArgs } from '../skel/plugin.port.js';
import { resolveCoordinatorConfig, type ResolvedCoordinatorConfig } from './coordinator-config.js';
import type { CoordinatorNetconf } from './netconf.schema.js';
import type { CoordinatorPorts } from './ports.js';

export const GET_CONFIG_ERROR = 'failed to GetCoordinatorConfig';

/**
 * `required: true` (ADD): an agent failure fails the command. `required: false` (DEL, D13): the
 * failure is logged and the netconf plus defaults are used.
 */
export async function fetchCoordinatorConfig(
  args: CmdArgs<CoordinatorNetconf>,
  ports: CoordinatorPorts,
  options: { required: boolean },
): Promise<ResolvedCoordinatorConfig> {
  let agent: CoordinatorConfig | undefined;
  try {
    agent = await ports.agent.coordinatorConfig({
      podNamespace: args.cniArgs.podNamespace,
      podName: args.cniArgs.podName,
    });
  } catch (e) {
    if (options.required) throw new ContextualError(GET_CONFIG_ERROR, e);
    ports.logger.warn({ err: errorMessage(e) }, `${GET_CONFIG_ERROR}; using the netconf and defaults`);
  }
  return resolveCoordinatorConfig(args.conf, agent);
}
