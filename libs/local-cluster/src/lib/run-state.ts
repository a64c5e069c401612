import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '@spiderpool/testing';
import type { Logger } from 'pino';
import type { HostNetworkPort } from './host-network.port.js';
import { runIdOf } from './run-names.js';
import { errText, LOG_FIELDS as F } from './log-fields.js';

/** Parent of every run's state directory (`run-<runId>/`). */
export const DEFAULT_STATE_BASE = join(tmpdir(), 'spiderpool-local-cluster');

/** `<stateDir>/owner.json`: who owns the run, and the component processes it spawned. */
export interface LocalClusterRunState {
  ownerPid: number;
  runId: string;
  createdAt: string;
  componentPids: number[];
  /** Set when teardown failed part-way: the next sweep finishes the job even though the owner may live on. */
  abandoned?: boolean;
}

export function runDir(base: string, runId: string): string {
  return join(base, `run-${runId}`);
}

export function writeLocalRunState(dir: string, state: LocalClusterRunState): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, 'owner.json.tmp');
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, join(dir, 'owner.json'));
}

function readLocalRunState(dir: string): LocalClusterRunState | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as LocalClusterRunState;
  } catch {
    return undefined;
  }
}

export interface LocalSweepResult {
  runs: string[];
  netns: string[];
  links: string[];
}

/**
 * Removes what earlier runs left behind: runs under `base` whose owner process is dead (or that were abandoned after
 * a failed teardown) lose their component processes, network namespaces, links and state directory. A run writes
 * its state before creating any kernel object, so objects whose run id has no state under `base` belong to someone
 * else (another state base, a live run) and are left alone.
 */
export async function sweepLocalClusters(
  base: string,
  net: HostNetworkPort,
  log: Logger,
): Promise<LocalSweepResult> {
  const result: LocalSweepResult = { runs: [], netns: [], links: [] };
  const deadIds = new Set<string>();
  const dead: { runId: string; dir: string; state: LocalClusterRunState | undefined }[] = [];
  if (existsSync(base)) {
    for (const entry of readdirSync(base)) {
      const m = /^run-([0-9a-f]{6})$/.exec(entry);
      if (!m?.[1]) continue;
      const dir = join(base, entry);
      const state = readLocalRunState(dir);
      if (state && !state.abandoned && isAlive(state.ownerPid)) continue; // a live run: not ours to touch
      dead.push({ runId: m[1], dir, state });
      deadIds.add(m[1]);
    }
  }
  for (const run of dead) {
    for (const pid of run.state?.componentPids ?? []) {
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // gone
        }
      }
    }
  }
  for (const ns of await net.listNetns()) {
    const id = runIdOf(ns);
    if (id && deadIds.has(id)) {
      await net
        .deleteNetns(ns)
        .catch((err: unknown) =>
          log.warn({ [F.netns]: ns, [F.err]: errText(err) }, 'sweep: netns not removed'),
        );
      result.netns.push(ns);
    }
  }
  // Bridges first would orphan nothing (veths die with their peers' namespace or with deleteLink); order is free.
  for (const link of await net.listLinks()) {
    const id = runIdOf(link);
    if (id && deadIds.has(id)) {
      await net
        .deleteLink(link)
        .catch((err: unknown) =>
          log.warn({ [F.link]: link, [F.err]: errText(err) }, 'sweep: link not removed'),
        );
      result.links.push(link);
    }
  }
  for (const run of dead) {
    rmSync(run.dir, { recursive: true, force: true });
    result.runs.push(run.runId);
  }
  if (result.runs.length + result.netns.length + result.links.length > 0) {
    log.info({ ...result }, 'swept leftovers of earlier local clusters');
  }
  return result;
}
