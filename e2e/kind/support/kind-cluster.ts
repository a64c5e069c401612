// Drives a kind cluster for the journeys: create, build + load our images, `helm install` charts/spiderpool.
import { execa } from 'execa';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWorkspaceRoot, resolveBinaries, waitFor } from '@spiderpool/testing';

export const workspaceRoot = findWorkspaceRoot(dirname(fileURLToPath(import.meta.url)));
const IMAGE_TAG = 'e2e';
const APPS = ['controller', 'webhook', 'agent'] as const;
export const imageOf = (app: (typeof APPS)[number]) => `ghcr.io/spidernet-io/spiderpool/spiderpool-${app}:${IMAGE_TAG}`;

/** Command runner: throws with the command's stderr on failure. */
export async function run(cmd: string, args: string[], opts: { input?: string; cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await execa(cmd, args, {
    reject: false,
    cwd: opts.cwd ?? workspaceRoot,
    timeout: opts.timeoutMs ?? 900_000,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
  });
  if (r.exitCode !== 0 || r.failed) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.exitCode ?? '?'}): ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  }
  return r.stdout;
}

async function probe(cmd: string, args: string[]): Promise<string | undefined> {
  const r = await execa(cmd, args, { reject: false, stdin: 'ignore', timeout: 30_000 });
  if (r.exitCode === 0) return undefined;
  const why = (r.stderr || r.stdout || r.shortMessage || '').trim().split('\n')[0] ?? '';
  return `\`${cmd} ${args.join(' ')}\` fails: ${why}`;
}

let reported = false;

/** Why the kind journeys cannot run here (no Docker engine, no kind, no helm/kubectl), or undefined; printed once. */
export async function kindSkip(): Promise<string | undefined> {
  const bins = resolveBinaries();
  const reason =
    (await probe('docker', ['info', '--format', '{{.ServerVersion}}'])) ??
    (await probe('kind', ['version'])) ??
    (bins.helm ? undefined : 'no helm binary (SP_HELM); run tools/build-binaries.sh') ??
    (bins.kubectl ? undefined : 'no kubectl binary (SP_KUBECTL); run tools/build-binaries.sh');
  if (reason && !reported) {
    reported = true;
    process.stderr.write(`[e2e-kind] skipped: ${reason}\n`);
  }
  return reason;
}

export interface KindCluster {
  readonly name: string;
  readonly kubeconfig: string;
  kubectl(args: string[], input?: string): Promise<string>;
  kubectlJson<T>(args: string[]): Promise<T>;
  /** The IPv4 subnet and gateway of kind's Docker network (the nodes' eth0, the macvlan parent). */
  nodeNetwork(): Promise<{ subnet: string; gateway: string }>;
  delete(): Promise<void>;
}

/** Creates a two-node kind cluster (kind's default CNI stays: Spiderpool adds underlay NICs through Multus). */
export async function createKindCluster(name: string): Promise<KindCluster> {
  const work = join(workspaceRoot, 'e2e', 'kind', '.work', name);
  mkdirSync(work, { recursive: true });
  const kubeconfig = join(work, 'kubeconfig');
  const config = join(work, 'kind.yaml');
  writeFileSync(
    config,
    ['kind: Cluster', 'apiVersion: kind.x-k8s.io/v1alpha4', 'nodes:', '  - role: control-plane', '  - role: worker', ''].join('\n'),
  );
  await run('kind', ['create', 'cluster', '--name', name, '--config', config, '--kubeconfig', kubeconfig, '--wait', '180s']);
  const kubectlBin = resolveBinaries().kubectl ?? 'kubectl';
  const kubectl = (args: string[], input?: string) => run(kubectlBin, [`--kubeconfig=${kubeconfig}`, ...args], input === undefined ? {} : { input });
  return {
    name,
    kubeconfig,
    kubectl,
    kubectlJson: async <T>(args: string[]) => JSON.parse(await kubectl([...args, '-o', 'json'])) as T,
    async nodeNetwork() {
      const out = await run('docker', ['network', 'inspect', 'kind', '--format', '{{json .IPAM.Config}}']);
      const configs = JSON.parse(out) as Array<{ Subnet?: string; Gateway?: string }>;
      const v4 = configs.find((c) => c.Subnet && !c.Subnet.includes(':'));
      if (!v4?.Subnet) throw new Error(`kind network has no IPv4 subnet: ${out}`);
      return { subnet: v4.Subnet, gateway: v4.Gateway ?? '' };
    },
    async delete() {
      await run('kind', ['delete', 'cluster', '--name', name]);
    },
  };
}

/** Builds the three images from apps/<app>/Dockerfile and loads them into the cluster's nodes. */
export async function buildAndLoadImages(cluster: KindCluster): Promise<void> {
  for (const app of APPS) {
    await run('docker', ['build', '-f', `apps/${app}/Dockerfile`, '-t', imageOf(app), '.'], { timeoutMs: 1_800_000 });
    await run('kind', ['load', 'docker-image', imageOf(app), '--name', cluster.name]);
  }
}

/** `helm install spiderpool charts/spiderpool -n kube-system` with the seed's flags plus our e2e image tag. */
export async function helmInstall(cluster: KindCluster, sets: string[]): Promise<void> {
  const helm = resolveBinaries().helm ?? 'helm';
  const args = ['install', 'spiderpool', join(workspaceRoot, 'charts', 'spiderpool'), '--namespace', 'kube-system', `--kubeconfig=${cluster.kubeconfig}`, '--wait', '--timeout', '10m'];
  for (const component of ['spiderpoolAgent', 'spiderpoolController', 'spiderpoolWebhook']) {
    args.push('--set', `${component}.image.tag=${IMAGE_TAG}`, '--set', `${component}.image.pullPolicy=IfNotPresent`);
  }
  for (const s of sets) args.push('--set', s);
  await run(helm, args);
}

/** Waits until `read` returns a value (default 5 min, 2 s apart). */
export const eventually = <T>(description: string, read: () => Promise<T | undefined>, timeoutMs = 300_000): Promise<T> =>
  waitFor(read, { timeoutMs, intervalMs: 2_000, description });
