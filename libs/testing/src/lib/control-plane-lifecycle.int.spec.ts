import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startControlPlane } from './control-plane.js';
import { isAlive, readRunState, sweepStale, writeRunState } from './run-state.js';

/** True when something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function deadPid(): Promise<number> {
  const p = execa('true');
  await p;
  return p.pid ?? 0x7ffffff0;
}

describe('control plane lifecycle', () => {
  let baseDir: string;
  beforeEach(async () => {
    baseDir = await mkdtemp(join(tmpdir(), 'sp-cp-lifecycle-'));
  });
  afterEach(async () => {
    await rm(baseDir, { recursive: true, force: true });
  });

  it('stop() ends every process, frees the apiserver port and removes the run directory', async () => {
    const plane = await startControlPlane({ baseDir, controllers: false });
    process.stderr.write(`[lifecycle] etcd + kube-apiserver ready in ${plane.startupMs} ms\n`);
    const pids = readRunState(plane.dir)?.processes.map((p) => p.pid) ?? [];
    const port = Number(new URL(plane.server).port);
    expect(pids).toHaveLength(2);
    expect(pids.every(isAlive)).toBe(true);
    expect(await listening(port)).toBe(true);

    await plane.stop();

    expect(pids.filter(isAlive)).toEqual([]);
    expect(await listening(port)).toBe(false);
    expect(existsSync(plane.dir)).toBe(false);
  });

  it('sweepStale() on the next start kills a crashed run (dead owner) and removes its directory', async () => {
    const crashed = await startControlPlane({ baseDir, controllers: false });
    const state = readRunState(crashed.dir);
    if (!state) throw new Error('no state file');
    // Pretend the owner died without stopping: a dead owner PID in the state file.
    writeRunState(crashed.dir, { ...state, ownerPid: await deadPid() });

    const swept = sweepStale(baseDir);

    expect(swept.removedDirs).toEqual([crashed.dir]);
    expect(swept.killedPids.sort()).toEqual(state.processes.map((p) => p.pid).sort());
    expect(existsSync(crashed.dir)).toBe(false);
    await crashed.stop(); // idempotent once swept
    expect(state.processes.map((p) => p.pid).filter(isAlive)).toEqual([]);
  });
});
