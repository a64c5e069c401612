import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import type { Logger } from 'pino';
import type { IpamConfig } from './cni-conf.js';
import type { ComponentSpec, ComponentVars } from './component-process.js';
import { ComponentStartError } from './errors.js';
import { LOG_FIELDS as F } from './log-fields.js';

/** Env override read by our CNI executable (apps/cni main.ts): the agent socket, winning over the netconf key. */
export const AGENT_SOCKET_ENV = 'SPIDERPOOL_AGENT_SOCKET';

/** Namespace our components "run in" (leases, agent identity), as the chart installs them. */
export const SPIDERPOOL_NAMESPACE = 'kube-system';

/** Name of the webhook configurations the local cluster registers. */
export const WEBHOOK_CONFIGURATION_NAME = 'spiderpool-local';

/** Where the build step puts things, relative to the workspace root. */
export interface SpiderpoolArtifacts {
  controller: string;
  webhook: string;
  agent: string;
  /** Our packaged CNI executables (`nx run cni:package`). */
  cniBinaries: Record<'spiderpool' | 'coordinator' | 'ifacer', string>;
  /** A small script bundling apps/webhook's registrar: `node it <kubeconfig> <url> <caFile> <name>`. */
  registerWebhooks: string;
}

export function spiderpoolArtifacts(workspaceRoot: string): SpiderpoolArtifacts {
  const app = (name: string) => join(workspaceRoot, 'dist', 'apps', name, 'main.mjs');
  const bin = (name: string) => join(workspaceRoot, 'dist', 'cni', 'bin', name);
  return {
    controller: app('controller'),
    webhook: app('webhook'),
    agent: app('agent'),
    cniBinaries: { spiderpool: bin('spiderpool'), coordinator: bin('coordinator'), ifacer: bin('ifacer') },
    registerWebhooks: join(workspaceRoot, 'dist', 'local-cluster', 'register-webhooks.mjs'),
  };
}

/**
 * Entry of the registration script. It imports the webhook app's own registrar (the one source of the
 * configurations' shape) and is bundled here at build time: libraries may not import apps, but may build them.
 */
const REGISTER_ENTRY = `import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { registerWebhooks } from './apps/webhook/src/registration/webhook-registrar.ts';
const [kubeconfig, url, caFile, name] = process.argv.slice(2);
const kc = new KubeConfig();
kc.loadFromFile(kubeconfig);
await registerWebhooks(kc, {
  name,
  target: { url },
  caPem: readFileSync(caFile, 'utf8'),
  coordinatorEnabled: true,
  multusConfigEnabled: true,
});
`;

/**
 * Builds our components: `nx run-many -t build -p controller webhook agent`, `nx run cni:package` (both cached by
 * Nx; `skipNx` uses dist/ as it is) and the webhook registration script. Throws ComponentStartError naming what is missing.
 */
export async function buildSpiderpool(
  workspaceRoot: string,
  log: Logger,
  options: { skipNx?: boolean } = {},
): Promise<SpiderpoolArtifacts> {
  const env = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
  for (const args of options.skipNx
    ? []
    : [
        ['run-many', '-t', 'build', '-p', 'controller', 'webhook', 'agent', '--output-style=static'],
        ['run', 'cni:package', '--output-style=static'],
      ]) {
    const r = await execa('nx', args, {
      cwd: workspaceRoot,
      preferLocal: true,
      env,
      reject: false,
      all: true,
    });
    if (r.exitCode !== 0) {
      throw new ComponentStartError(
        `nx ${args.join(' ')} failed:\n${(r.all ?? '').split('\n').slice(-40).join('\n')}`,
      );
    }
    log.info({ [F.step]: `nx ${args.slice(0, 2).join(' ')}` }, 'built');
  }
  const artifacts = spiderpoolArtifacts(workspaceRoot);
  const { build } = await import('esbuild');
  mkdirSync(dirname(artifacts.registerWebhooks), { recursive: true });
  await build({
    stdin: {
      contents: REGISTER_ENTRY,
      resolveDir: workspaceRoot,
      loader: 'ts',
      sourcefile: 'register-webhooks.ts',
    },
    absWorkingDir: workspaceRoot,
    outfile: artifacts.registerWebhooks,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __spCreateRequire } from 'node:module'; const require = __spCreateRequire(import.meta.url);",
    },
  });
  const missing = [
    artifacts.controller,
    artifacts.webhook,
    artifacts.agent,
    ...Object.values(artifacts.cniBinaries),
  ].filter((p) => !existsSync(p));
  if (missing.length > 0) throw new ComponentStartError(`build left no ${missing.join(', ')}`);
  return artifacts;
}

export interface SpiderpoolComponentsOptions {
  workspaceRoot: string;
  artifacts: SpiderpoolArtifacts;
  /** The node executable that runs the bundles (default: this process' one). */
  nodeExecutable?: string;
  /** Controller replicas (leader election is always on); default 1. */
  controllerReplicas?: number;
  logLevel?: 'debug' | 'info' | 'warn';
  /**
   * `coordinator.podCIDRType` of the chart (default there: `auto`). The local cluster has no overlay CNI whose
   * config `auto` could detect, so the preset passes `cluster`: the pod CIDR is the control plane's.
   */
  coordinatorPodCIDRType?: 'auto' | 'cluster' | 'calico' | 'cilium' | 'none';
  /** `ipam.enableIPv6` for webhook, controller and agents (default false: the IPv4-only seeds need no IPv6 pool). */
  enableIPv6?: boolean;
}

/**
 * The controller env the chart (`charts/spiderpool`, default values) sets beyond ports and identity: SpiderMultusConfig
 * and SpiderCoordinator on, the default coordinator from `coordinator.*`.
 */
export function chartControllerEnv(o: { podCIDRType: string; cniConfigDir: string }): Record<string, string> {
  return {
    SPIDERPOOL_MULTUS_CONFIG_ENABLED: 'true',
    SPIDERPOOL_CNI_CONFIG_DIR: o.cniConfigDir,
    SPIDERPOOL_CILIUM_CONFIGMAP_NAMESPACE_NAME: 'kube-system/cilium-config',
    SPIDERPOOL_COORDINATOR_ENABLED: 'true',
    SPIDERPOOL_COORDINATOR_DEFAULT_NAME: 'default',
    SPIDERPOOL_INIT_DEFAULT_COORDINATOR_MODE: 'auto',
    SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: o.podCIDRType,
    SPIDERPOOL_INIT_DEFAULT_COORDINATOR_TUNE_POD_ROUTES: 'true',
    SPIDERPOOL_INIT_DEFAULT_COORDINATOR_HIJACK_CIDR: '["169.254.0.0/16"]',
    SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POLICY_ROUTES: '[]',
    SPIDERPOOL_INIT_DEFAULT_COORDINATOR_VETH_LINK_ADDRESS: '',
    SPIDERPOOL_INIT_DEFAULT_COORDINATOR_VETH_MTU: '1500',
    SPIDERPOOL_CONTROLLER_DEPLOYMENT_NAME: 'spiderpool-controller',
  };
}

/** What `startLocalCluster` needs to run our IPAM: components, CNI executables, CNI env and the IPAM block. */
export interface SpiderpoolPreset {
  components: ComponentSpec[];
  extraCniBinaries: Record<string, string>;
  cniEnv: Record<string, string>;
  ipam: (zone: unknown, ctx: { stateDir: string }) => IpamConfig;
}

const yamlLines = (entries: Record<string, string | boolean>): string =>
  `${Object.entries(entries)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
    .join('\n')}\n`;

const ensureDirOf = (path: string) => mkdirSync(dirname(path), { recursive: true });

/**
 * Our webhook, controller(s) and one agent per simulated node, as `ComponentSpec`s in start order, plus the CNI side
 * (packaged executables, per-node agent socket through `SPIDERPOOL_AGENT_SOCKET`, `ipam: {type: spiderpool}`).
 */
export function spiderpoolPreset(o: SpiderpoolComponentsOptions): SpiderpoolPreset {
  const node = o.nodeExecutable ?? process.execPath;
  const level = o.logLevel ?? 'info';
  const certDir = '{stateDir}/webhook-certs';
  const webhook: ComponentSpec = {
    name: 'webhook',
    scope: 'cluster',
    command: node,
    args: ['--enable-source-maps', o.artifacts.webhook],
    ports: ['https'],
    env: {
      SPIDERPOOL_WEBHOOK_PORT: '{port:https}',
      SPIDERPOOL_WEBHOOK_HOST: '127.0.0.1',
      SPIDERPOOL_WEBHOOK_CERT_DIR: certDir,
      SPIDERPOOL_ENABLE_IPV4: 'true',
      SPIDERPOOL_ENABLE_IPV6: String(o.enableIPv6 ?? false),
      SPIDERPOOL_ENABLE_SPIDER_SUBNET: 'true',
      SPIDERPOOL_KUBECONFIG: '{kubeconfig}',
      SPIDERPOOL_LOG_LEVEL: level,
    },
    readinessUrl: 'https://127.0.0.1:{port:https}/webhook-health-check',
    readinessCaFile: `${certDir}/ca.crt`,
    prepare: async (vars: ComponentVars) => {
      const r = await execa(
        node,
        [
          join(o.workspaceRoot, 'tools', 'gen-certs.mjs'),
          '--out',
          `${vars.stateDir}/webhook-certs`,
          '--san',
          '127.0.0.1',
          '--san',
          'localhost',
        ],
        { reject: false, all: true },
      );
      if (r.exitCode !== 0) throw new ComponentStartError(`tools/gen-certs.mjs failed: ${r.all ?? ''}`);
    },
    afterReady: async (vars: ComponentVars) => {
      const r = await execa(
        node,
        [
          o.artifacts.registerWebhooks,
          vars.kubeconfig,
          `https://127.0.0.1:${vars.ports?.['https'] ?? 0}`,
          `${vars.stateDir}/webhook-certs/ca.crt`,
          WEBHOOK_CONFIGURATION_NAME,
        ],
        { reject: false, all: true },
      );
      if (r.exitCode !== 0) throw new ComponentStartError(`webhook registration failed: ${r.all ?? ''}`);
    },
  };
  const controllerConf = '{stateDir}/controller/conf.yml';
  const controllers: ComponentSpec[] = Array.from({ length: o.controllerReplicas ?? 1 }, (_, i) => ({
    name: `controller-${i}`,
    scope: 'cluster',
    command: node,
    args: ['--enable-source-maps', o.artifacts.controller],
    ports: ['health', 'metrics', 'webhook', 'gops'],
    env: {
      SPIDERPOOL_POD_NAMESPACE: SPIDERPOOL_NAMESPACE,
      SPIDERPOOL_POD_NAME: `spiderpool-controller-${i}`,
      SPIDERPOOL_KUBECONFIG: '{kubeconfig}',
      SPIDERPOOL_CONFIG_PATH: controllerConf,
      SPIDERPOOL_HEALTH_PORT: '{port:health}',
      SPIDERPOOL_METRIC_HTTP_PORT: '{port:metrics}',
      SPIDERPOOL_WEBHOOK_PORT: '{port:webhook}',
      SPIDERPOOL_GOPS_LISTEN_PORT: '{port:gops}',
      SPIDERPOOL_LOG_LEVEL: level,
      // stands in for the host's /etc/cni/net.d (global.cniConfHostPath); never the real host's directory
      ...chartControllerEnv({
        podCIDRType: o.coordinatorPodCIDRType ?? 'cluster',
        cniConfigDir: '{stateDir}/controller/net.d',
      }),
    },
    // startup, not readiness: only the leader reports ready, and replicas beyond the first never lead
    readinessUrl: 'http://127.0.0.1:{port:health}/v1/runtime/startup',
    prepare: async (vars: ComponentVars) => {
      const path = `${vars.stateDir}/controller/conf.yml`;
      ensureDirOf(path);
      mkdirSync(`${vars.stateDir}/controller/net.d`, { recursive: true });
      writeFileSync(
        path,
        yamlLines({
          enableIPv4: true,
          enableIPv6: o.enableIPv6 ?? false,
          enableStatefulSet: true,
          enableKubevirtStaticIP: false,
          enableSpiderSubnet: true,
          enableAutoPoolForApplication: true,
        }),
      );
    },
  }));
  const agent: ComponentSpec = {
    name: 'agent',
    scope: 'per-node',
    command: node,
    args: ['--enable-source-maps', o.artifacts.agent],
    ports: ['health', 'metrics'],
    env: {
      SPIDERPOOL_POD_NAMESPACE: SPIDERPOOL_NAMESPACE,
      SPIDERPOOL_POD_NAME: 'spiderpool-agent-{node}',
      SPIDERPOOL_NODE_NAME: '{node}',
      SPIDERPOOL_KUBECONFIG: '{kubeconfig}',
      SPIDERPOOL_CONFIG_PATH: '{stateDir}/nodes/{node}/agent-conf.yml',
      SPIDERPOOL_HTTP_HOST: '127.0.0.1',
      SPIDERPOOL_HEALTH_PORT: '{port:health}',
      SPIDERPOOL_METRIC_HTTP_PORT: '{port:metrics}',
      SPIDERPOOL_LOG_LEVEL: level,
    },
    readinessUrl: 'http://127.0.0.1:{port:health}/v1/runtime/readiness',
    prepare: async (vars: ComponentVars) => {
      const path = `${vars.stateDir}/nodes/${vars.node ?? ''}/agent-conf.yml`;
      ensureDirOf(path);
      if (vars.socket) ensureDirOf(vars.socket);
      writeFileSync(
        path,
        yamlLines({
          ipamUnixSocketPath: vars.socket ?? '',
          enableIPv4: true,
          enableIPv6: o.enableIPv6 ?? false,
          enableStatefulSet: true,
          enableKubevirtStaticIP: false,
          enableSpiderSubnet: true,
          enableAutoPoolForApplication: true,
        }),
      );
    },
  };
  return {
    components: [webhook, ...controllers, agent],
    extraCniBinaries: { ...o.artifacts.cniBinaries },
    cniEnv: { [AGENT_SOCKET_ENV]: '{socket}' },
    ipam: (_zone, ctx) => ({
      type: 'spiderpool',
      log_level: 'debug',
      log_file_path: join(ctx.stateDir, 'spiderpool-cni.log'),
    }),
  };
}
