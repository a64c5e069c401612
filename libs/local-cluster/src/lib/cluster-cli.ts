import { parseArgs } from 'node:util';
import { findWorkspaceRoot } from '@spiderpool/testing';
import type { Logger } from 'pino';
import { startLocalCluster } from './local-cluster.js';
import { scenarioByName } from './scenarios.js';

const USAGE = `usage: npm run cluster -- [--nodes N] [--scenario default|seed-003|seed-004] [--verbose]

Starts a local Spiderpool cluster: a real etcd + kube-apiserver + controller-manager + scheduler on loopback,
simulated nodes whose pods are network namespaces wired by Multus and the CNI reference plugins. Runs until
Ctrl-C, then removes everything it created.`;

export interface CliIo {
  out: (line: string) => void;
  logger: Logger;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM). */
  stopSignal: Promise<string>;
  cwd: string;
}

/** The main job behind `npm run cluster` (tools/cluster.sh); returns the process exit code. */
export async function runClusterCli(argv: string[], io: CliIo): Promise<number> {
  let values: { nodes?: string; scenario?: string; verbose?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        nodes: { type: 'string', short: 'n' },
        scenario: { type: 'string', short: 's' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.out(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const count = Number(values.nodes ?? '2');
  if (!Number.isInteger(count) || count < 1 || count > 20) {
    io.out(`--nodes must be an integer from 1 to 20\n${USAGE}`);
    return 2;
  }
  const scenario = scenarioByName(values.scenario ?? 'default', count);
  if (!scenario) {
    io.out(`unknown scenario '${values.scenario}'\n${USAGE}`);
    return 2;
  }
  io.out(`==> ${scenario.description}`);
  const cluster = await startLocalCluster({
    zones: scenario.zones,
    nodes: scenario.nodes,
    ...(scenario.networkAttachments ? { networkAttachments: scenario.networkAttachments } : {}),
    logger: io.logger,
    workspaceRoot: findWorkspaceRoot(io.cwd),
    onProgress: (step) => io.out(`==> ${step}`),
  });
  try {
    io.out('');
    io.out(
      `Local cluster ${cluster.runId} is up (${(cluster.startupMs / 1000).toFixed(1)}s). In another shell:`,
    );
    io.out('');
    io.out(`  export KUBECONFIG=${cluster.kubeconfigPath}`);
    io.out('  kubectl get nodes -o wide');
    io.out(
      '  kubectl get sp            # SpiderIPPools (CRDs installed; our controller/agents are not running yet)',
    );
    io.out('  kubectl create deployment demo --image=nginx --replicas=2 && kubectl get pods -o wide');
    io.out(
      `  ip netns list | grep lc-${cluster.runId}-pod-    # one namespace per pod: lc-${cluster.runId}-pod-<uid prefix>`,
    );
    io.out(`  ip netns exec lc-${cluster.runId}-pod-<uid prefix> ping <other pod IP>`);
    io.out('');
    io.out(
      'kubectl: the pinned binary is in ~/.cache/spiderpool-ts/bin/kubernetes-*/kubectl. Ctrl-C stops and cleans up.',
    );
    const signal = await io.stopSignal;
    io.out(`==> ${signal}: stopping`);
  } finally {
    await cluster.stop();
    io.out('==> stopped; every namespace, link, process and temp dir of this run is gone');
  }
  return 0;
}
