// nx run controller:bench — bundle src/bench/gc-scan.bench.ts with esbuild into a temp dir and run it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const alias = Object.fromEntries(Object.entries(compilerOptions.paths).map(([k, [v]]) => [k, join(root, v)]));
const out = mkdtempSync(join(tmpdir(), 'ctrl-bench-bundle-'));
try {
  await build({
    absWorkingDir: root,
    entryPoints: { bench: join(root, 'apps/controller/src/bench/gc-scan.bench.ts') },
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    alias,
    external: JSON.parse(readFileSync(join(root, 'apps/controller/bundle.json'), 'utf8')).external ?? [],
    tsconfig: join(root, 'apps/controller/tsconfig.json'),
    logLevel: 'warning',
    banner: { js: "import { createRequire as __spCreateRequire } from 'node:module'; const require = __spCreateRequire(import.meta.url);" },
  });
  const r = spawnSync(process.execPath, ['--expose-gc', join(out, 'bench.mjs')], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_WORKSPACE_ROOT: root },
  });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
