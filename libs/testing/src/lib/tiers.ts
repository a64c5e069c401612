import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TestingError } from './errors.js';

/** Env variable naming the admin kubeconfig of the int tier's control plane. */
export const TEST_KUBECONFIG_ENV = 'SPIDERPOOL_TEST_KUBECONFIG';

/**
 * Why the node tier cannot run here, or `undefined` when it can: it needs root and a working `ip netns`.
 */
export function requireNodePrivileges(): string | undefined {
  const uid = process.getuid?.();
  if (uid !== 0) return `node tier needs root (running as uid ${uid ?? 'unknown'})`;
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (r.error) return `node tier needs iproute2's \`ip netns\` (${r.error.message})`;
  if (r.status !== 0) return `node tier needs \`ip netns\`, which failed: ${(r.stderr ?? '').trim()}`;
  return undefined;
}

let loggedNodeSkip = false;

/**
 * The skip reason of the node tier (logged once, one line), or `undefined`.
 * Use as `const d = nodeTierSkip() ? describe.skip : describe;`.
 */
export function nodeTierSkip(): string | undefined {
  const reason = requireNodePrivileges();
  if (reason && !loggedNodeSkip) {
    loggedNodeSkip = true;
    process.stderr.write(`[node tier] skipped: ${reason}\n`);
  }
  return reason;
}

/** The int tier's kubeconfig path (set by the int globalSetup); a clear error when run outside it. */
export function intTierKubeconfig(): string {
  const path = process.env[TEST_KUBECONFIG_ENV];
  if (!path || !existsSync(path)) {
    throw new TestingError(
      'NO_TEST_CLUSTER',
      `${TEST_KUBECONFIG_ENV} is ${path ? `${path}, which does not exist` : 'unset'}: run int tests through ` +
        '`nx run <project>:test-int` (the int tier globalSetup starts a control plane)',
    );
  }
  return path;
}
