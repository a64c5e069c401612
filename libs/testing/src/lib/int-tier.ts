import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startControlPlane, type ControlPlane, type HarnessLogger } from './control-plane.js';
import { kubectl } from './kubectl.js';
import { TEST_KUBECONFIG_ENV } from './tiers.js';

/** One-line logger for the int tier's setup (Jest prints the global hooks' stderr). */
export const stderrLogger: HarnessLogger = {
  info: (obj, msg) => process.stderr.write(`[int tier] ${msg ?? ''} ${JSON.stringify(obj)}\n`),
  warn: (obj, msg) => process.stderr.write(`[int tier] WARN ${msg ?? ''} ${JSON.stringify(obj)}\n`),
};

/** The Nx workspace root at or above `from` (the directory holding nx.json). */
export function findWorkspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/**
 * Applies `charts/spiderpool/crds/*.yaml` and waits until they are Established. Logs and skips when the
 * directory is missing or empty. Returns the number of files applied.
 */
export async function installCrds(
  kubeconfig: string,
  workspaceRoot: string,
  log: HarnessLogger,
): Promise<number> {
  const crdDir = join(workspaceRoot, 'charts', 'spiderpool', 'crds');
  const files = existsSync(crdDir)
    ? readdirSync(crdDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  if (files.length === 0) {
    log.warn({ crdDir }, 'no CRDs to install (directory missing or empty); skipping');
    return 0;
  }
  await kubectl(kubeconfig, [
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=spiderpool-test',
    ...files.flatMap((f) => ['-f', join(crdDir, f)]),
  ]);
  await kubectl(kubeconfig, ['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  log.info({ crdDir, files: files.length }, 'CRDs installed');
  return files.length;
}

export interface IntTierHandle {
  kubeconfigPath: string;
  /** Present only when this run started the plane (not when reusing SPIDERPOOL_TEST_KUBECONFIG). */
  plane?: ControlPlane;
}

/**
 * globalSetup body of the int tier: reuse the plane named by SPIDERPOOL_TEST_KUBECONFIG, or start one; install
 * the chart's CRDs; export the kubeconfig path through the environment for the test files.
 */
export async function setupIntTier(
  workspaceRoot: string,
  log: HarnessLogger = stderrLogger,
): Promise<IntTierHandle> {
  const reuse = process.env[TEST_KUBECONFIG_ENV];
  let handle: IntTierHandle;
  if (reuse && existsSync(reuse)) {
    log.info({ kubeconfig: reuse }, `reusing the control plane named by ${TEST_KUBECONFIG_ENV}`);
    handle = { kubeconfigPath: reuse };
  } else {
    const plane = await startControlPlane({ logger: log });
    handle = { kubeconfigPath: plane.kubeconfigPath, plane };
  }
  try {
    await installCrds(handle.kubeconfigPath, workspaceRoot, log);
  } catch (err) {
    await handle.plane?.stop();
    throw err;
  }
  process.env[TEST_KUBECONFIG_ENV] = handle.kubeconfigPath;
  return handle;
}

export async function teardownIntTier(handle: IntTierHandle | undefined): Promise<void> {
  await handle?.plane?.stop();
}
