import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { isAlive, readRunState, sweepStale, writeRunState } from './run-state.js';

describe('sweepStale', () => {
  let base: string;
  const children: ResultPromise[] = [];
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'sp-sweep-'));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      try {
        if (c.pid) process.kill(-c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await c;
    }
    await rm(base, { recursive: true, force: true });
  });

  /** A detached `sh` whose command line names the run dir (as the real components' flags do). */
  function spawnMarked(dir: string): number {
    const c = execa('sh', ['-c', 'sleep 60', dir], {
      detached: true,
      reject: false,
      stdio: 'ignore',
    });
    children.push(c);
    return c.pid ?? 0;
  }

  async function deadPid(): Promise<number> {
    const p = execa('true');
    await p;
    return p.pid ?? 0x7ffffff0;
  }

  it('kills the processes of a run whose owner is dead and removes its directory', async () => {
    const dir = join(base, 'run-dead');
    await mkdir(dir);
    const pid = spawnMarked(dir);
    writeRunState(dir, { ownerPid: await deadPid(), createdAt: '', processes: [{ name: 'sh', pid }] });

    const result = sweepStale(base);

    expect(result).toEqual({ removedDirs: [dir], killedPids: [pid] });
    expect(existsSync(dir)).toBe(false);
    await children[0];
    expect(isAlive(pid)).toBe(false);
  });

  it('leaves a run owned by a live process alone', async () => {
    const dir = join(base, 'run-live');
    await mkdir(dir);
    const pid = spawnMarked(dir);
    writeRunState(dir, { ownerPid: process.ppid, createdAt: '', processes: [{ name: 'sh', pid }] });

    expect(sweepStale(base)).toEqual({ removedDirs: [], killedPids: [] });
    expect(isAlive(pid)).toBe(true);
    expect(readRunState(dir)?.processes).toEqual([{ name: 'sh', pid }]);
  });

  it('leaves a run owned by this very process alone (a second plane started beside the globalSetup one)', async () => {
    const dir = join(base, 'run-self');
    await mkdir(dir);
    const pid = spawnMarked(dir);
    writeRunState(dir, { ownerPid: process.pid, createdAt: '', processes: [{ name: 'sh', pid }] });

    expect(sweepStale(base)).toEqual({ removedDirs: [], killedPids: [] });
    expect(isAlive(pid)).toBe(true);
  });

  it('does not kill a recorded PID that now belongs to an unrelated process', async () => {
    const dir = join(base, 'run-reused');
    await mkdir(dir);
    const unrelated = spawnMarked(join(base, 'elsewhere'));
    writeRunState(dir, {
      ownerPid: await deadPid(),
      createdAt: '',
      processes: [{ name: 'etcd', pid: unrelated }],
    });

    expect(sweepStale(base)).toEqual({ removedDirs: [dir], killedPids: [] });
    expect(isAlive(unrelated)).toBe(true);
  });
});
