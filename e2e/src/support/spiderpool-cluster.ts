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
 * on every zone network. Builds them first (Nx-cached); SPIDERPOOL_E2E_SKIP_BUILD=1 uses dist/ as it is. No NADs are
 * written: the journeys create them through SpiderMultusConfigs, as the guides do.
 */
export function spiderpoolCluster(scenario: Scenario): () => Promise<LocalCluster> {
  return async () => {
    const logger = e2eLogger();
    const artifacts = await buildSpiderpool(workspaceRoot, logger, {
      skipNx: process.env['SPIDERPOOL_E2E_SKIP_BUILD'] === '1',
    });
    const preset = spiderpoolPreset({
      workspaceRoot,
      artifacts,
      ...(scenario.enableIPv6 ? { enableIPv6: true } : {}),
    });
    return startLocalCluster({
      zones: scenario.zones,
      nodes: scenario.nodes,
      ...preset,
      logger,
      workspaceRoot,
    });
  };
}
