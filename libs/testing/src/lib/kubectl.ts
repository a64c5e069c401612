import { execa } from 'execa';
import { stringify } from 'yaml';
import { requireBinary, resolveBinaries } from './binaries.js';
import { CommandFailedError } from './errors.js';

export interface KubectlOptions {
  /** Written to kubectl's stdin. */
  input?: string;
  timeoutMs?: number;
}

/** Runs the pinned kubectl against `kubeconfig`; resolves with stdout, throws {@link CommandFailedError}. */
export async function kubectl(
  kubeconfig: string,
  args: string[],
  options: KubectlOptions = {},
): Promise<string> {
  const bin = requireBinary(resolveBinaries(), 'kubectl');
  const r = await execa(bin, [`--kubeconfig=${kubeconfig}`, ...args], {
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
  });
  if (r.exitCode !== 0 || r.failed) {
    throw new CommandFailedError(
      `kubectl ${args.join(' ')} failed (exit ${r.exitCode ?? '?'}): ${r.stderr.trim()}`,
      r.stderr,
      {
        cause: r,
      },
    );
  }
  return r.stdout;
}

/** kubectl with `-o json`, parsed. */
export async function kubectlJson<T = unknown>(kubeconfig: string, args: string[]): Promise<T> {
  return JSON.parse(await kubectl(kubeconfig, [...args, '-o', 'json'])) as T;
}

/** Serialises objects (or passes YAML text through) as one multi-document YAML stream. */
export function toYamlStream(yamlOrObjects: string | object | object[]): string {
  if (typeof yamlOrObjects === 'string') return yamlOrObjects;
  const list = Array.isArray(yamlOrObjects) ? yamlOrObjects : [yamlOrObjects];
  return list.map((o) => stringify(o)).join('---\n');
}

/**
 * Applies YAML text or objects with server-side apply (no last-applied annotation, so large CRDs fit).
 * Resolves with kubectl's per-object summary lines.
 */
export async function applyManifests(
  kubeconfig: string,
  yamlOrObjects: string | object | object[],
): Promise<string> {
  return kubectl(
    kubeconfig,
    ['apply', '--server-side', '--force-conflicts', '--field-manager=spiderpool-test', '-f', '-'],
    { input: toYamlStream(yamlOrObjects) },
  );
}
