import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot, waitFor } from '@spiderpool/testing';
import type { Logger } from 'pino';
import { startLocalCluster, type LocalCluster } from './local-cluster.js';
import { scenarioByName, SEED_FIXTURES_DIR, type Scenario } from './scenarios.js';
import { buildSpiderpool, spiderpoolPreset } from './spiderpool-components.js';

const USAGE = `usage: npm run cluster -- [--scenario seed-004|seed-003|default] [--nodes N] [--no-workload]
                            [--no-components] [--skip-build] [--verbose]

Starts a local Spiderpool cluster: a real etcd + kube-apiserver + controller-manager + scheduler on loopback,
our webhook, controller and one agent per simulated node (built first, Nx-cached), and simulated nodes whose pods
are network namespaces wired by Multus → bridge → our spiderpool IPAM. By default it then runs the seed 004 quick
start (SpiderMultusConfig kube-system/macvlan-conf rendered into its NAD by our controller, pool ippool-test, a
2-replica Deployment) and prints the SMCs, NADs, pools, endpoints, the SpiderCoordinator and the pod IPs. Runs until Ctrl-C, then removes everything it created.

  --scenario      seed-004 (default), seed-003 (two zones, node-pinned pools, a DaemonSet), default (N nodes)
  --no-workload   start the cluster only (no pools, no app)
  --no-components host-local IPAM and none of our components (the harness alone)
  --skip-build    use dist/ as it is (no nx build)`;

export interface CliIo {
  out: (line: string) => void;
  logger: Logger;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM). */
  stopSignal: Promise<string>;
  cwd: string;
}

/** The main job behind `npm run cluster` (tools/cluster.sh); returns the process exit code. */
export async function runClusterCli(argv: string[], io: CliIo): Promise<number> {
  let values: {
    nodes?: string;
    scenario?: string;
    verbose?: boolean;
    help?: boolean;
    'no-workload'?: boolean;
    'no-components'?: boolean;
    'skip-build'?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        nodes: { type: 'string', short: 'n' },
        scenario: { type: 'string', short: 's' },
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
        'no-workload': { type: 'boolean' },
        'no-components': { type: 'boolean' },
        'skip-build': { type: 'boolean' },
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
  const scenario = scenarioByName(values.scenario ?? 'seed-004', count);
  if (!scenario) {
    io.out(`unknown scenario '${values.scenario}'\n${USAGE}`);
    return 2;
  }
  io.out(`==> ${scenario.description}`);
  const workspaceRoot = findWorkspaceRoot(io.cwd);
  const withComponents = !values['no-components'];
  let preset = {};
  if (withComponents) {
    io.out('==> building our components (nx build controller webhook agent, nx run cni:package; cached)');
    const artifacts = await buildSpiderpool(workspaceRoot, io.logger, {
      skipNx: values['skip-build'] ?? false,
    });
    preset = spiderpoolPreset({
      workspaceRoot,
      artifacts,
      ...(scenario.enableIPv6 ? { enableIPv6: true } : {}),
    });
  }
  const cluster = await startLocalCluster({
    zones: scenario.zones,
    nodes: scenario.nodes,
    // with our controller the NADs come from the scenario's SpiderMultusConfigs; the harness alone writes them
    ...(scenario.networkAttachments && !(withComponents && scenario.multusConfigs)
      ? { networkAttachments: scenario.networkAttachments }
      : {}),
    ...preset,
    logger: io.logger,
    workspaceRoot,
    onProgress: (step) => io.out(`==> ${step}`),
  });
  try {
    if (withComponents && !values['no-workload'] && scenario.workload) {
      await runWorkload(cluster, scenario, workspaceRoot, io);
    }
    io.out('');
    io.out(
      `Local cluster ${cluster.runId} is up (${(cluster.startupMs / 1000).toFixed(1)}s). In another shell:`,
    );
    io.out('');
    io.out(`  export KUBECONFIG=${cluster.kubeconfigPath}`);
    io.out('  kubectl get nodes -o wide');
    io.out(
      withComponents
        ? `  kubectl get smc -A; kubectl get sp; kubectl get se -A; kubectl get spidercoordinator   # component logs: ${cluster.stateDir}/*.log`
        : '  kubectl get sp            # SpiderIPPools (CRDs only: started with --no-components)',
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

/**
 * Applies the scenario's SpiderMultusConfigs (waiting for the controller's NADs), pools and app, waits for the pods,
 * and prints what seed 004 shows: SMCs, NADs, `get spiderippool`, `get spiderendpoints -A`, the SpiderCoordinator
 * and the pod IPs.
 */
async function runWorkload(
  cluster: LocalCluster,
  scenario: Scenario,
  workspaceRoot: string,
  io: CliIo,
): Promise<void> {
  const w = scenario.workload;
  if (!w) return;
  const nadNamespaces = new Set<string>();
  for (const spec of scenario.multusConfigs ?? []) {
    const seedText = spec.seedFixture
      ? readFileSync(join(workspaceRoot, SEED_FIXTURES_DIR, spec.seedFixture), 'utf8')
      : undefined;
    const smc = cluster.multusConfig(spec, seedText);
    io.out(
      `==> kubectl apply SpiderMultusConfig ${spec.namespace}/${spec.name} (${cluster.underlayPlugin === 'macvlan' && seedText ? `${SEED_FIXTURES_DIR}/${spec.seedFixture}` : 'cniType: custom, the bridge stand-in for macvlan'})`,
    );
    await cluster.kubectl(['apply', '-f', '-'], { input: JSON.stringify(smc) });
    nadNamespaces.add(spec.namespace);
    await waitFor(
      async () =>
        (
          await cluster.kubectl([
            'get',
            'network-attachment-definitions',
            '-n',
            spec.namespace,
            '--ignore-not-found',
            '-o',
            'name',
            spec.name,
          ])
        ).trim() !== ''
          ? true
          : undefined,
      { timeoutMs: 60_000, intervalMs: 250, description: `NAD ${spec.namespace}/${spec.name} from its SMC` },
    );
  }
  for (const file of w.fixtures) {
    io.out(`==> kubectl apply -f ${SEED_FIXTURES_DIR}/${file}`);
    await cluster.kubectl(['apply', '-f', '-'], {
      input: readFileSync(join(workspaceRoot, SEED_FIXTURES_DIR, file), 'utf8'),
    });
  }
  io.out(`==> kubectl apply the guide's app (${w.selector}, ${w.replicas} pods)`);
  await cluster.kubectl(['apply', '-f', '-'], { input: w.manifest });
  await waitFor(
    async () => {
      const out = await cluster.kubectl([
        'get',
        'pods',
        '-l',
        w.selector,
        '-o',
        'jsonpath={range .items[*]}{.status.phase}{" "}{.status.podIP}{"\\n"}{end}',
      ]);
      const running = out.split('\n').filter((l) => /^Running \S+/.test(l));
      return running.length === w.replicas ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500, description: `${w.replicas} Running pods with ${w.selector}` },
  );
  // the controller fills ALLOCATED-IP-COUNT / TOTAL-IP-COUNT shortly after the agents allocate, and syncs the
  // default SpiderCoordinator from kube-system/kubeadm-config
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await waitFor(
    async () =>
      (await cluster.kubectl([
        'get',
        'spidercoordinator',
        'default',
        '--ignore-not-found',
        '-o',
        'jsonpath={.status.phase}',
      ])) === 'Synced'
        ? true
        : undefined,
    { timeoutMs: 30_000, intervalMs: 500, description: 'SpiderCoordinator default Synced' },
  ).catch(() => io.out('==> SpiderCoordinator default is not Synced (yet); its status follows'));
  for (const args of [
    ...[...nadNamespaces].flatMap((ns) => [
      ['get', 'spidermultusconfigs', '-n', ns],
      ['get', 'network-attachment-definitions', '-n', ns],
    ]),
    ['get', 'spiderippool'],
    ['get', 'spiderendpoints', '-A'],
    [
      'get',
      'spidercoordinator',
      '-o',
      'custom-columns=NAME:.metadata.name,PHASE:.status.phase,OVERLAY-POD-CIDR:.status.overlayPodCIDR,SERVICE-CIDR:.status.serviceCIDR',
    ],
    [
      'get',
      'pods',
      '-l',
      w.selector,
      '-o',
      'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,STATUS:.status.phase,IP:.status.podIP',
    ],
  ]) {
    io.out('');
    io.out(`$ kubectl ${args.join(' ')}`);
    io.out((await cluster.kubectl(args)).trimEnd());
  }
}
