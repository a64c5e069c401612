// Size-based rotation with lumberjack semantics, applied when a plugin opens its log (each
// invocation is short-lived, so checking at open time is enough): when the file has reached
// maxSize MB it is renamed to `<name>-<UTC timestamp>.<ext>`; backups beyond maxBackups or older
// than maxAge days are deleted (0 = unlimited for both).
import { readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export interface RotationPolicy {
  /** MB; 0 → 100. */
  maxSizeMB: number;
  /** days; 0 → never delete by age. */
  maxAgeDays: number;
  /** count; 0 → keep all. */
  maxBackups: number;
}

const MB = 1024 * 1024;

function stamp(d: Date): string {
  return d.toISOString().replace(/:/g, '-').replace('Z', '');
}

/** Rotate `file` if it is too big and prune old backups. Returns the backup created, if any. */
export function rotateIfNeeded(
  file: string,
  policy: RotationPolicy,
  now: Date = new Date(),
): string | undefined {
  const limit = (policy.maxSizeMB > 0 ? policy.maxSizeMB : 100) * MB;
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return undefined;
  }
  if (size < limit) return undefined;
  const ext = extname(file);
  const stem = basename(file, ext);
  const backup = join(dirname(file), `${stem}-${stamp(now)}${ext}`);
  renameSync(file, backup);
  pruneBackups(file, policy, now);
  return backup;
}

export function pruneBackups(file: string, policy: RotationPolicy, now: Date): void {
  const dir = dirname(file);
  const ext = extname(file);
  const stem = basename(file, ext);
  const backups = readdirSync(dir)
    .filter((f) => f.startsWith(`${stem}-`) && f.endsWith(ext) && f !== basename(file))
    .map((f) => ({ path: join(dir, f), mtime: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  backups.forEach((b, i) => {
    const tooMany = policy.maxBackups > 0 && i >= policy.maxBackups;
    const tooOld = policy.maxAgeDays > 0 && now.getTime() - b.mtime > policy.maxAgeDays * 86_400_000;
    if (tooMany || tooOld) unlinkSync(b.path);
  });
}
