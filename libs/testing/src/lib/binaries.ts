import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BinaryNotFoundError } from './errors.js';

/** Absolute paths of the Go-built test binaries (tools/build-binaries.sh). Unbuilt ones are absent. */
export interface TestBinaries {
  etcd?: string;
  kubeApiserver?: string;
  kubeControllerManager?: string;
  kubeScheduler?: string;
  kubectl?: string;
  helm?: string;
  /** Directory holding the CNI reference plugins and multus (CNI_PATH). */
  cniBinDir?: string;
  cnitool?: string;
  kubernetesVersion?: string;
  etcdVersion?: string;
}

const KEYS: Record<keyof TestBinaries, string> = {
  etcd: 'SP_ETCD',
  kubeApiserver: 'SP_KUBE_APISERVER',
  kubeControllerManager: 'SP_KUBE_CONTROLLER_MANAGER',
  kubeScheduler: 'SP_KUBE_SCHEDULER',
  kubectl: 'SP_KUBECTL',
  helm: 'SP_HELM',
  cniBinDir: 'SP_CNI_BIN_DIR',
  cnitool: 'SP_CNITOOL',
  kubernetesVersion: 'SP_KUBERNETES_VERSION',
  etcdVersion: 'SP_ETCD_VERSION',
};

const BUILD_HINT = 'run `bash tools/build-binaries.sh` (needs Go >= 1.26) to build the pinned binaries';

/** Parses the `export KEY='value'` lines of `current.env` written by tools/build-binaries.sh. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw);
    if (!m?.[1]) continue;
    let value = (m[2] ?? '').trim();
    if ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"'))) {
      value = value.slice(1, -1);
    }
    out[m[1]] = value;
  }
  return out;
}

/** `${SPIDERPOOL_CACHE:-$XDG_CACHE_HOME/spiderpool-ts}` — the same rule as tools/run and tools/build-binaries.sh. */
export function spiderpoolCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['SPIDERPOOL_CACHE'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'spiderpool-ts');
}

/**
 * The one resolver for binary paths: `SP_*` variables in `env` win, the rest come from
 * `<cache>/bin/current.env`. Missing entries are left out; use {@link requireBinary} to insist.
 */
export function resolveBinaries(env: NodeJS.ProcessEnv = process.env): TestBinaries {
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseEnvFile(readFileSync(join(spiderpoolCacheDir(env), 'bin', 'current.env'), 'utf8'));
  } catch {
    // not built yet: only the environment counts
  }
  const out: TestBinaries = {};
  for (const [field, key] of Object.entries(KEYS) as [keyof TestBinaries, string][]) {
    const value = env[key] ?? fromFile[key];
    if (value) out[field] = value;
  }
  return out;
}

/** The path of one binary, checked to be executable; a {@link BinaryNotFoundError} naming the fix otherwise. */
export function requireBinary(
  bins: TestBinaries,
  name: Exclude<keyof TestBinaries, 'kubernetesVersion' | 'etcdVersion'>,
): string {
  const path = bins[name];
  if (!path) throw new BinaryNotFoundError(`${KEYS[name]} is not set and not in current.env; ${BUILD_HINT}`);
  try {
    accessSync(path, name === 'cniBinDir' ? constants.R_OK : constants.X_OK);
  } catch (cause) {
    throw new BinaryNotFoundError(`${KEYS[name]}=${path} is not usable; ${BUILD_HINT}`, { cause });
  }
  return path;
}
