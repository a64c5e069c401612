import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  applyManifests,
  freePort,
  installCrds,
  kubectl,
  requireBinary,
  resolveBinaries,
  startControlPlane,
  type ControlPlane,
  type ControlPlaneNetworking,
  type ControlPlaneOptions,
  type TestBinaries,
} from '@spiderpool/testing';
import { Iproute2Netlink } from '@spiderpool/netlink';
import type { Logger } from 'pino';
import { ClientNodeClusterApi } from './client-node-cluster-api.js';
import { CniInvoker } from './cni-invoker.js';
import {
  emptyNetworkAttachmentDefinition,
  hostLocalIpam,
  multusConf,
  networkAttachmentDefinition,
  zoneNetworkConfig,
  type IpamConfig,
  type UnderlayPlugin,
} from './cni-conf.js';
import { startComponent, type ComponentSpec, type RunningComponent } from './component-process.js';
import { ClusterStartError, InvalidTopologyError } from './errors.js';
import { ExecaProcessRunner } from './execa-process-runner.js';
import type { HostNetworkPort } from './host-network.port.js';
import { NetlinkHostNetwork } from './netlink-host-network.js';
import { kubeadmConfigMap } from './kubeadm-config.js';
import { customMultusConfig, seedMultusConfig, type MultusConfigSpec } from './multus-config.js';
import { findNadCrd } from './nad-crd.js';
import { NodeSimulator } from './node-simulator.js';
import { newRunId, runNames, type RunNames } from './run-names.js';
import { DEFAULT_STATE_BASE, runDir, sweepLocalClusters, writeLocalRunState } from './run-state.js';
import { resolveTopology, type ResolvedNode, type SimulatedNode, type Zone } from './topology.js';
import { Underlay } from './underlay.js';
import { errText, LOG_FIELDS as F } from './log-fields.js';

/** A NetworkAttachmentDefinition to create on the zone's underlay (e.g. seed 004's `kube-system/macvlan-conf`). */
export interface NetworkAttachmentSpec {
  name: string;
  namespace: string;
  zone: string;
}

export interface LocalClusterOptions {
  zones: Zone[];
  nodes: SimulatedNode[];
  logger: Logger;
  /** Nx workspace root (for `charts/spiderpool/crds/`). */
  workspaceRoot: string;
  /** Parent of the run state directories (default `$TMPDIR/spiderpool-local-cluster`). */
  stateBase?: string;
  binaries?: TestBinaries;
  /** Install `charts/spiderpool/crds/` and the NAD CRD (default true). */
  installCrds?: boolean;
  /**
   * Name of each node's default (cluster) network: an empty NAD in kube-system plus, per node, a config file of that
   * name on the node's zone bridge (the upstream chart's `defaultCniCRName` pattern).
   */
  defaultNetworkName?: string;
  /** The IPAM block of the zone networks (default host-local over the zone subnet, shared data dir). */
  ipam?: (zone: Zone, ctx: { stateDir: string }) => IpamConfig;
  networkAttachments?: NetworkAttachmentSpec[];
  /**
   * How pods attach to a zone: `bridge` (default; works on every kernel), `macvlan` on the zone bridge, or `auto`
   * (macvlan when a probe in a scratch netns can create one, else bridge).
   */
  underlayPlugin?: UnderlayPlugin | 'auto';
  /** Our components as processes, started in this order after the nodes (see `spiderpoolComponents`). */
  components?: ComponentSpec[];
  /**
   * Extra CNI executables (name → path, e.g. our packaged `spiderpool`, `coordinator`): the run then gets its own CNI
   * bin dir holding links to the reference plugins plus these, used as Multus' `binDir` and `CNI_PATH`.
   */
  extraCniBinaries?: Record<string, string>;
  /** Extra env for every CNI invocation on a node (e.g. the node's agent socket); `{socket}` is filled in. */
  cniEnv?: Record<string, string>;
  nodeConcurrency?: number;
  controlPlane?: Omit<ControlPlaneOptions, 'binaries' | 'logger'>;
  /** One line per start-up step, for CLIs. */
  onProgress?: (step: string) => void;
}

export interface LocalCluster {
  runId: string;
  names: RunNames;
  kubeconfigPath: string;
  stateDir: string;
  nodes: NodeSimulator[];
  zones: { zone: Zone; bridge: string }[];
  components: RunningComponent[];
  /** Spawn to ready, measured. */
  startupMs: number;
  controlPlaneStartupMs: number;
  net: HostNetworkPort;
  /** The pod / service CIDRs of the control plane, as recorded in `kube-system/kubeadm-config`. */
  networking: ControlPlaneNetworking;
  /** How pods attach to a zone in this run (`auto` resolved). */
  underlayPlugin: UnderlayPlugin;
  /**
   * The SpiderMultusConfig for `spec`: where the zones use macvlan and the spec names a seed SMC, that SMC (master =
   * the zone bridge); else a `cniType: custom` SMC carrying this run's zone network config.
   */
  multusConfig(spec: MultusConfigSpec, seedText?: string): Record<string, unknown>;
  /** The delegate CNI config of a zone network under `name` (plugin + IPAM as the cluster uses them), e.g. for a NAD. */
  networkConfig(zone: string, name: string): Record<string, unknown>;
  kubectl(args: string[], options?: { input?: string }): Promise<string>;
  /** Runs a command inside the network namespace of a running pod (`ip netns exec`). */
  execInPod(
    namespace: string,
    name: string,
    argv: string[],
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** Tears everything down; safe to call twice. Errors are collected and thrown together at the end. */
  stop(): Promise<void>;
}

export const DEFAULT_NETWORK_NAME = 'lc-underlay';

/**
 * Starts a local cluster: the real control plane (libs/testing), the CRDs, the underlay (zone bridges + router
 * netns), one simulated node per entry wired by Multus + the CNI reference plugins, and optional components.
 * Whatever was started is torn down again when a later step fails.
 */
export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const t0 = Date.now();
  const log = options.logger;
  const progress = options.onProgress ?? ((step: string) => log.info(step));
  const { zones, nodes } = resolveTopology({ zones: options.zones, nodes: options.nodes });
  const bins = options.binaries ?? resolveBinaries();
  const sharedCniBinDir = requireBinary(bins, 'cniBinDir');
  requireBinary(bins, 'kubectl');
  const runner = new ExecaProcessRunner();
  const net = new NetlinkHostNetwork(new Iproute2Netlink(), runner);
  const stateBase = options.stateBase ?? DEFAULT_STATE_BASE;

  progress('sweeping leftovers of earlier runs');
  await sweepLocalClusters(stateBase, net, log);

  const runId = newRunId();
  const names = runNames(runId);
  const stateDir = runDir(stateBase, runId);
  const componentPids: number[] = [];
  const writeState = () =>
    writeLocalRunState(stateDir, {
      ownerPid: process.pid,
      runId,
      createdAt: new Date(t0).toISOString(),
      componentPids,
    });
  writeState();

  const cleanups: { what: string; fn: () => Promise<void> }[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const errors: unknown[] = [];
    for (const { what, fn } of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        log.warn({ [F.step]: what, [F.err]: errText(err) }, 'teardown step failed');
        errors.push(err);
      }
    }
    if (errors.length === 0) rmSync(stateDir, { recursive: true, force: true });
    else
      writeLocalRunState(stateDir, {
        ownerPid: process.pid,
        runId,
        createdAt: new Date(t0).toISOString(),
        componentPids,
        abandoned: true,
      });
    if (errors.length > 0) throw new AggregateError(errors, `local cluster ${runId}: teardown incomplete`);
  };

  try {
    const cniBinDir = runCniBinDir(stateDir, sharedCniBinDir, options.extraCniBinaries);
    progress(`starting the control plane (run ${runId})`);
    const plane: ControlPlane = await startControlPlane({
      ...options.controlPlane,
      binaries: bins,
      logger: log,
    });
    cleanups.push({ what: 'control plane', fn: () => plane.stop() });
    const kubeconfigPath = join(stateDir, 'kubeconfig');
    writeFileSync(kubeconfigPath, readFileSync(plane.kubeconfigPath, 'utf8'));
    // what kubeadm records on a real cluster; the SpiderCoordinator reads the cluster CIDRs from it
    await applyManifests(kubeconfigPath, [kubeadmConfigMap(plane.networking)]);

    if (options.installCrds ?? true) {
      progress('installing CRDs');
      await installCrds(kubeconfigPath, options.workspaceRoot, log);
      const nad = findNadCrd({
        crdDir: join(options.workspaceRoot, 'charts', 'spiderpool', 'crds'),
        goModCache: join(homedir(), 'go', 'pkg', 'mod'),
      });
      if (!nad)
        throw new ClusterStartError(
          'no NetworkAttachmentDefinition CRD found (chart CRDs or the multus module)',
        );
      await applyManifests(kubeconfigPath, nad.yaml);
      await kubectl(kubeconfigPath, [
        'wait',
        '--for=condition=Established',
        '--timeout=60s',
        'crd/network-attachment-definitions.k8s.cni.cncf.io',
      ]);
      log.info({ [F.source]: nad.source }, 'NetworkAttachmentDefinition CRD installed');
    }

    progress(`building the underlay (${zones.length} zone${zones.length === 1 ? '' : 's'})`);
    const underlay = new Underlay(net, names, log);
    cleanups.push({ what: 'underlay', fn: () => underlay.destroy(zones.length) });
    const layout = await underlay.ensure(zones);

    const wanted = options.underlayPlugin ?? 'bridge';
    const plugin: UnderlayPlugin =
      wanted === 'auto' ? ((await net.supportsMacvlan(`lc-${runId}-probe`)) ? 'macvlan' : 'bridge') : wanted;
    log.info({ [F.plugin]: plugin }, 'zone networks attach pods with this CNI plugin');
    const ipamFor = options.ipam ?? ((zone: Zone) => hostLocalIpam(zone, join(stateDir, 'host-local')));
    const defaultNetwork = options.defaultNetworkName ?? DEFAULT_NETWORK_NAME;
    const zoneConfig = (zoneIndex: number, name: string) => {
      const entry = layout.zones[zoneIndex];
      if (!entry) throw new InvalidTopologyError(`no zone #${zoneIndex}`);
      return zoneNetworkConfig({
        name,
        bridge: entry.bridge,
        ipam: ipamFor(entry.zone, { stateDir }),
        plugin,
      });
    };

    {
      const nads = (options.networkAttachments ?? []).map((spec) => {
        const zi = zones.findIndex((z) => z.name === spec.zone);
        if (zi < 0)
          throw new InvalidTopologyError(
            `NAD ${spec.namespace}/${spec.name} names unknown zone '${spec.zone}'`,
          );
        return networkAttachmentDefinition({
          name: spec.name,
          namespace: spec.namespace,
          config: zoneConfig(zi, spec.name),
        });
      });
      // the default network's NAD is empty: each node's Multus resolves it to its own zone config file
      await applyManifests(kubeconfigPath, [
        emptyNetworkAttachmentDefinition({ name: defaultNetwork, namespace: 'kube-system' }),
        ...nads,
      ]);
    }

    const networkConfig = (zone: string, name: string): Record<string, unknown> => {
      const zi = zones.findIndex((z) => z.name === zone);
      if (zi < 0) throw new InvalidTopologyError(`unknown zone '${zone}'`);
      return { ...zoneConfig(zi, name), name };
    };

    const api = new ClientNodeClusterApi(kubeconfigPath, log);
    const simulators: NodeSimulator[] = [];
    cleanups.push({
      what: 'node simulators',
      fn: async () => {
        const results = await Promise.allSettled(simulators.map((s) => s.stop()));
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed.length > 0)
          throw new AggregateError(
            failed.map((f) => f.reason),
            'node teardown failed',
          );
      },
    });
    for (const node of nodes) {
      progress(`registering simulated node ${node.name} (zone ${node.zone})`);
      simulators.push(
        await startNode(node, {
          stateDir,
          kubeconfigPath,
          cniBinDir,
          defaultNetwork,
          zoneConfig,
          names,
          net,
          api,
          log,
          options,
          bins,
        }),
      );
    }

    const components: RunningComponent[] = [];
    cleanups.push({
      what: 'components',
      fn: async () => void (await Promise.allSettled(components.map((c) => c.stop()))),
    });
    for (const spec of options.components ?? []) {
      const targets: (ResolvedNode | undefined)[] = spec.scope === 'per-node' ? nodes : [undefined];
      for (const node of targets) {
        progress(`starting component ${spec.name}${node ? ` on ${node.name}` : ''}`);
        const ports: Record<string, number> = {};
        for (const portName of spec.ports ?? []) ports[portName] = await freePort();
        const vars = {
          kubeconfig: kubeconfigPath,
          stateDir,
          ports,
          ...(node ? { node: node.name, socket: nodeSocket(stateDir, node.name) } : {}),
        };
        const c = await startComponent(
          spec,
          vars,
          join(stateDir, `${spec.name}${node ? `-${node.name}` : ''}.log`),
        );
        components.push(c);
        componentPids.push(c.pid);
        writeState();
      }
    }

    const startupMs = Date.now() - t0;
    progress(`local cluster ready in ${(startupMs / 1000).toFixed(1)}s`);
    return {
      runId,
      names,
      kubeconfigPath,
      stateDir,
      nodes: simulators,
      zones: layout.zones,
      components,
      startupMs,
      controlPlaneStartupMs: plane.startupMs,
      net,
      networking: plane.networking,
      underlayPlugin: plugin,
      networkConfig,
      multusConfig: (spec, seedText) => {
        const zi = zones.findIndex((z) => z.name === spec.zone);
        const bridge = layout.zones[zi]?.bridge;
        if (!bridge) throw new InvalidTopologyError(`SMC ${spec.namespace}/${spec.name} names unknown zone '${spec.zone}'`);
        if (plugin === 'macvlan' && seedText !== undefined) return seedMultusConfig(seedText, bridge);
        return customMultusConfig({
          name: spec.name,
          namespace: spec.namespace,
          config: networkConfig(spec.zone, spec.name),
        });
      },
      kubectl: (args, kOptions) => kubectl(kubeconfigPath, args, kOptions ?? {}),
      execInPod: async (namespace, name, argv) => {
        const uid = (
          await kubectl(kubeconfigPath, [
            'get',
            'pod',
            '-n',
            namespace,
            name,
            '-o',
            'jsonpath={.metadata.uid}',
          ])
        ).trim();
        return net.execIn(names.podNetns(uid), argv);
      },
      stop,
    };
  } catch (err) {
    await stop().catch((teardownErr: unknown) =>
      log.warn({ [F.err]: errText(teardownErr) }, 'teardown after failed start'),
    );
    if (err instanceof ClusterStartError || err instanceof InvalidTopologyError) throw err;
    throw new ClusterStartError(
      `local cluster failed to start: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/**
 * The CNI bin dir of a run: the shared one, or (with extra executables) `<stateDir>/cni-bin` with symlinks to every
 * shared plugin plus the extras (which win on a name clash).
 */
function runCniBinDir(stateDir: string, shared: string, extra: Record<string, string> | undefined): string {
  if (!extra || Object.keys(extra).length === 0) return shared;
  const dir = join(stateDir, 'cni-bin');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(shared)) {
    if (!(name in extra)) symlinkSync(join(shared, name), join(dir, name));
  }
  for (const [name, path] of Object.entries(extra)) {
    if (!existsSync(path)) throw new ClusterStartError(`CNI executable ${name} not found at ${path}`);
    symlinkSync(path, join(dir, name));
  }
  return dir;
}

/** The unix socket path private to one node's agent (`{socket}` in component specs and `cniEnv`). */
export function nodeSocket(stateDir: string, node: string): string {
  return join(stateDir, 'nodes', node, 'spiderpool.sock');
}

async function startNode(
  node: ResolvedNode,
  ctx: {
    stateDir: string;
    kubeconfigPath: string;
    cniBinDir: string;
    defaultNetwork: string;
    zoneConfig: (zoneIndex: number, name: string) => Record<string, unknown>;
    names: RunNames;
    net: HostNetworkPort;
    api: ClientNodeClusterApi;
    log: Logger;
    options: LocalClusterOptions;
    bins: TestBinaries;
  },
): Promise<NodeSimulator> {
  const dir = join(ctx.stateDir, 'nodes', node.name);
  const netD = join(dir, 'net.d');
  const multusD = join(dir, 'multus.d');
  for (const d of [netD, multusD, join(dir, 'multus-cache')]) mkdirSync(d, { recursive: true });
  writeFileSync(
    join(multusD, `${ctx.defaultNetwork}.conf`),
    JSON.stringify(ctx.zoneConfig(node.zoneIndex, ctx.defaultNetwork), null, 2),
  );
  const conf = multusConf({
    kubeconfig: ctx.kubeconfigPath,
    clusterNetwork: ctx.defaultNetwork,
    confDir: multusD,
    cniDir: join(dir, 'multus-cache'),
    binDir: ctx.cniBinDir,
    logFile: join(dir, 'multus.log'),
  });
  writeFileSync(join(netD, '00-multus.conf'), JSON.stringify(conf, null, 2));
  const cniEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.options.cniEnv ?? {}))
    cniEnv[k] = v.replace('{socket}', nodeSocket(ctx.stateDir, node.name));
  const invoker = new CniInvoker(new ExecaProcessRunner(), { binDir: ctx.cniBinDir, conf, extraEnv: cniEnv });
  const sim = new NodeSimulator(
    ctx.api,
    invoker,
    ctx.net,
    {
      name: node.name,
      labels: node.labels,
      internalIP: node.internalIP,
      kubeletVersion: ctx.bins.kubernetesVersion ?? 'v0.0.0-simulated',
      podNetnsName: ctx.names.podNetns,
      ...(ctx.options.nodeConcurrency ? { concurrency: ctx.options.nodeConcurrency } : {}),
    },
    ctx.log,
  );
  await sim.start();
  return sim;
}
