// nx run webhook:bench — bundle src/bench/admission.bench.ts with esbuild into a temp dir and run it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const alias = Object.fromEntries(Object.entries(compilerOptions.paths).map(([k, [v]]) => [k, join(root, v)]));
const out = mkdtempSync(join(tmpdir(), 'wh-bench-bundle-'));
try {
  await build({
    absWorkingDir: root,
    entryPoints: { bench: join(root, 'apps/webhook/src/bench/admission.bench.ts') },
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    alias,
    external: JSON.parse(readFileSync(join(root, 'apps/webhook/bundle.json'), 'utf8')).external ?? [],
    tsconfig: join(root, 'apps/webhook/tsconfig.json'),
    logLevel: 'warning',
    banner: { js: "import { createRequire as __spCreateRequire } from 'node:module'; const require = __spCreateRequire(import.meta.url);" },
  });
  // The bundle lives in a temp dir, so tools/gen-certs.mjs is found relative to the workspace instead.
  const r = spawnSync(process.execPath, [join(out, 'bench.mjs')], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_WORKSPACE_ROOT: root, BENCH_GEN_CERTS: join(root, 'tools/gen-certs.mjs') },
  });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
