import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpGet } from '@spiderpool/testing';
import { execa } from 'execa';
import { ComponentStartError } from './errors.js';

/**
 * One of our components run as a process (controller, webhook, or an agent per node). `{placeholders}` in args and
 * env values are filled in: `{kubeconfig}`, `{stateDir}`, and for `scope: 'per-node'` also `{node}` and `{socket}`
 * (a unix socket path private to that node's instance).
 */
export interface ComponentSpec {
  name: string;
  scope: 'cluster' | 'per-node';
  command: string;
  args?: string[];
  env?: Record<string, string>;
  /**
   * Polled until it answers 2xx; an `http://` or `https://` URL (placeholders allowed). No URL = ready once spawned.
   */
  readinessUrl?: string;
  /** PEM CA file (placeholders allowed) that signs the readiness URL's certificate, for `https://`. */
  readinessCaFile?: string;
  readyTimeoutMs?: number;
  /**
   * Names of loopback TCP ports to allocate per instance (`{port:<name>}` in args, env and URLs), so per-node
   * instances get distinct health/metrics ports.
   */
  ports?: string[];
  /** Runs before the spawn (e.g. write a config file or certificates). */
  prepare?: (vars: ComponentVars) => Promise<void>;
  /** Runs once the component is ready (e.g. register webhook configurations); a failure stops the component. */
  afterReady?: (vars: ComponentVars) => Promise<void>;
}

export interface ComponentVars {
  kubeconfig: string;
  stateDir: string;
  node?: string;
  socket?: string;
  /** Allocated ports by name (`{port:<name>}`). */
  ports?: Record<string, number>;
}

export function fillPlaceholders(text: string, vars: ComponentVars): string {
  return text.replace(
    /\{(kubeconfig|stateDir|node|socket|port:([a-z0-9-]+))\}/g,
    (whole, key: string, port?: string) => {
      if (port !== undefined) {
        const value = vars.ports?.[port];
        return value === undefined ? whole : String(value);
      }
      const value = vars[key as 'kubeconfig' | 'stateDir' | 'node' | 'socket'];
      return value ?? whole;
    },
  );
}

export interface RunningComponent {
  /** `name` or `name@node`. */
  id: string;
  pid: number;
  logPath: string;
  stop(graceMs?: number): Promise<void>;
}

/** Spawns a component in its own process group, logs to `logPath`, and waits for its readiness URL. */
export async function startComponent(
  spec: ComponentSpec,
  vars: ComponentVars,
  logPath: string,
): Promise<RunningComponent> {
  const id = spec.scope === 'per-node' && vars.node ? `${spec.name}@${vars.node}` : spec.name;
  await spec.prepare?.(vars);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.env ?? {})) env[k] = fillPlaceholders(v, vars);
  const child = execa(
    spec.command,
    (spec.args ?? []).map((a) => fillPlaceholders(a, vars)),
    {
      detached: true,
      stdin: 'ignore',
      stdout: { file: logPath, append: true },
      stderr: { file: logPath, append: true },
      env,
      extendEnv: true,
      reject: false,
    },
  );
  let exit: string | undefined;
  const exited = child.then((r) => {
    exit = r.signal ?? (r.exitCode !== undefined ? `code ${r.exitCode}` : r.message);
  });
  const pid = child.pid;
  if (pid === undefined) {
    await exited;
    throw new ComponentStartError(`${id}: spawn ${spec.command} failed: ${exit ?? 'unknown'}`);
  }
  const stop = async (graceMs = 5_000): Promise<void> => {
    if (exit !== undefined) return;
    signalGroup(pid, 'SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done) {
      signalGroup(pid, 'SIGKILL');
      await exited;
    }
  };
  if (spec.readinessUrl) {
    const url = fillPlaceholders(spec.readinessUrl, vars);
    const tls = spec.readinessCaFile
      ? { ca: readFileSync(fillPlaceholders(spec.readinessCaFile, vars)) }
      : {};
    const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
    for (;;) {
      if (exit !== undefined)
        throw new ComponentStartError(`${id} exited (${exit}) before ready; see ${logPath}`);
      const ok = await httpGet(url, tls)
        .then((r) => r.status >= 200 && r.status < 300)
        .catch(() => false);
      if (ok) break;
      if (Date.now() > deadline) {
        await stop();
        throw new ComponentStartError(`${id} not ready at ${url}; see ${logPath}`);
      }
      await sleep(250);
    }
  }
  if (spec.afterReady) {
    try {
      await spec.afterReady(vars);
    } catch (err) {
      await stop();
      throw new ComponentStartError(
        `${id}: post-start step failed: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
        },
      );
    }
  }
  return { id, pid, logPath, stop };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  }
}
