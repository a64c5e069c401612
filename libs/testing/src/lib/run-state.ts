import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The PID record of one control-plane run, kept at `<runDir>/state.json` so that a later run can kill what a
 * crashed one left behind (`sweepStale`). Written synchronously after every spawn.
 */
export interface RunState {
  ownerPid: number;
  createdAt: string;
  processes: { name: string; pid: number }[];
}

export const STATE_FILE = 'state.json';
/** Directories without a state file younger than this may still be starting up; older ones are debris. */
const ORPHAN_DIR_AGE_MS = 10 * 60_000;

export function writeRunState(runDir: string, state: RunState): void {
  const tmp = join(runDir, `${STATE_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  // rename is atomic: a sweeper never reads half a file
  renameSync(tmp, join(runDir, STATE_FILE));
}

export function readRunState(runDir: string): RunState | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir, STATE_FILE), 'utf8')) as RunState;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` is alive and its command line mentions `marker` (guards against PID reuse). */
export function isOurProcess(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/** SIGKILLs the process group led by `pid` and the process itself; errors (already gone) are ignored. */
export function killGroupNow(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export interface SweepResult {
  removedDirs: string[];
  killedPids: number[];
}

/**
 * Kills the processes of earlier runs under `baseDir` whose owner process is dead, and removes their
 * directories. Runs owned by a live process (a parallel Jest run, a plane shared by tools/test-all.sh) are left
 * alone.
 */
export function sweepStale(baseDir: string): SweepResult {
  const result: SweepResult = { removedDirs: [], killedPids: [] };
  if (!existsSync(baseDir)) return result;
  for (const entry of readdirSync(baseDir)) {
    if (!entry.startsWith('run-')) continue;
    const dir = join(baseDir, entry);
    const state = readRunState(dir);
    if (!state) {
      const mtimeMs = statSync(dir, { throwIfNoEntry: false })?.mtimeMs;
      if (mtimeMs === undefined || Date.now() - mtimeMs < ORPHAN_DIR_AGE_MS) continue;
    } else {
      // A live owner — this process included (a test may start a second plane while the globalSetup's
      // plane, owned by the same Jest process under --runInBand, is running) — keeps its run.
      if (isAlive(state.ownerPid)) continue;
      for (const { pid } of state.processes) {
        if (isOurProcess(pid, dir)) {
          killGroupNow(pid);
          result.killedPids.push(pid);
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
    result.removedDirs.push(dir);
  }
  return result;
}
