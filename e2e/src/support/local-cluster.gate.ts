import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findWorkspaceRoot,
  requireBinary,
  requireNodePrivileges,
  resolveBinaries,
  waitFor,
} from '@spiderpool/testing';
import { pino, type Logger } from 'pino';

export const workspaceRoot = findWorkspaceRoot(dirname(fileURLToPath(import.meta.url)));

let reported = false;

/**
 * Why the local-cluster journeys cannot run here (not root, no `ip netns`, binaries not built), or undefined.
 * Printed once, one line. Use as `const d = localClusterSkip() ? describe.skip : describe;`.
 */
export function localClusterSkip(): string | undefined {
  let reason = requireNodePrivileges();
  if (!reason) {
    try {
      const bins = resolveBinaries();
      for (const b of [
        'etcd',
        'kubeApiserver',
        'kubeControllerManager',
        'kubeScheduler',
        'kubectl',
        'cniBinDir',
      ] as const) {
        requireBinary(bins, b);
      }
      const cniDir = bins.cniBinDir ?? '';
      for (const plugin of ['multus', 'bridge', 'host-local', 'loopback']) {
        if (!existsSync(join(cniDir, plugin)))
          throw new Error(`CNI plugin ${plugin} missing in ${cniDir}; run tools/build-binaries.sh`);
      }
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
  }
  if (reason && !reported) {
    reported = true;
    process.stderr.write(`[e2e-local] skipped: ${reason}\n`);
  }
  return reason;
}

/** Warn-level logs on stderr (set SPIDERPOOL_E2E_LOG=info for the cluster's step-by-step log). */
export function e2eLogger(): Logger {
  return pino({ level: process.env['SPIDERPOOL_E2E_LOG'] ?? 'warn' }, pino.destination(2));
}

export interface PodView {
  metadata: { name: string; namespace: string; uid: string };
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string };
}

/** Waits until `count` pods match `selector` and all are Running with an IP; returns them sorted by node. */
export async function waitForRunningPods(
  kubectlJson: (args: string[]) => Promise<{ items: PodView[] }>,
  selector: string,
  count: number,
  namespace = 'default',
): Promise<PodView[]> {
  return waitFor(
    async () => {
      const { items } = await kubectlJson(['get', 'pods', '-n', namespace, '-l', selector]);
      const running = items.filter((p) => p.status.phase === 'Running' && p.status.podIP);
      return running.length === count && items.length === count
        ? running.sort((a, b) => (a.spec.nodeName ?? '').localeCompare(b.spec.nodeName ?? ''))
        : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500, description: `${count} Running pods with ${selector}` },
  );
}
