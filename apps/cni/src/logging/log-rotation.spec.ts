import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rotateIfNeeded } from './log-rotation.js';

describe('log rotation', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cni-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const big = (path: string, mb: number) => writeFileSync(path, Buffer.alloc(mb * 1024 * 1024));

  it('leaves a small file alone', () => {
    const file = join(dir, 'spiderpool.log');
    writeFileSync(file, 'x');
    expect(rotateIfNeeded(file, { maxSizeMB: 1, maxAgeDays: 0, maxBackups: 0 })).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['spiderpool.log']);
  });

  it('renames a full file to a timestamped backup', () => {
    const file = join(dir, 'spiderpool.log');
    big(file, 1);
    const backup = rotateIfNeeded(
      file,
      { maxSizeMB: 1, maxAgeDays: 0, maxBackups: 0 },
      new Date('2026-01-02T03:04:05.678Z'),
    );
    expect(backup).toBe(join(dir, 'spiderpool-2026-01-02T03-04-05.678.log'));
    expect(readdirSync(dir)).toEqual(['spiderpool-2026-01-02T03-04-05.678.log']);
  });

  it('keeps at most maxBackups and drops backups older than maxAge', () => {
    const file = join(dir, 'spiderpool.log');
    const now = new Date('2026-01-10T00:00:00Z');
    for (const [i, day] of [1, 5, 8, 9].entries()) {
      const p = join(dir, `spiderpool-2026-01-0${day}T00-00-00.000.log`);
      writeFileSync(p, String(i));
      const t = new Date(`2026-01-0${day}T00:00:00Z`);
      utimesSync(p, t, t);
    }
    big(file, 1);
    rotateIfNeeded(file, { maxSizeMB: 1, maxAgeDays: 3, maxBackups: 2 }, now);
    expect(readdirSync(dir).sort()).toEqual([
      'spiderpool-2026-01-09T00-00-00.000.log',
      'spiderpool-2026-01-10T00-00-00.000.log',
    ]);
  });
});
