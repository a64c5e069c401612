import {
  buildSpiderpool,
  spiderpoolPreset,
  startLocalCluster,
  type LocalCluster,
  type Scenario,
} from '@spiderpool/local-cluster';
import { e2eLogger, workspaceRoot } from './local-cluster.gate.js';

/**
 * A local cluster running OUR components (webhook, controller, one agent per node) with `ipam: {type: spiderpool}`
 * on every zone network. Builds them first (Nx-cached); SPIDERPOOL_E2E_SKIP_BUILD=1 uses dist/ as it is.
 */
export async function startSpiderpoolCluster(
  scenario: Scenario,
  options: { withNetworkAttachments?: boolean } = {},
): Promise<LocalCluster> {
  const logger = e2eLogger();
  const artifacts = await buildSpiderpool(workspaceRoot, logger, {
    skipNx: process.env['SPIDERPOOL_E2E_SKIP_BUILD'] === '1',
  });
  const preset = spiderpoolPreset({ workspaceRoot, artifacts });
  return startLocalCluster({
    zones: scenario.zones,
    nodes: scenario.nodes,
    ...(options.withNetworkAttachments && scenario.networkAttachments
      ? { networkAttachments: scenario.networkAttachments }
      : {}),
    ...preset,
    logger,
    workspaceRoot,
  });
}
