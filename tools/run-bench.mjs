// node tools/run-bench.mjs <app> <entry> — the `bench` target of every app that benchmarks a TypeScript entry:
// bundle apps/<app>/<entry> with esbuild (the app's externals and tsconfig, workspace paths as aliases) into a
// temp dir and run it with --expose-gc. Benchmarks print figures; they assert nothing.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [app, entry] = process.argv.slice(2);
if (!app || !entry || !existsSync(join(root, 'apps', app, entry))) {
  console.error(`usage: node tools/run-bench.mjs <app> <entry>; no file apps/${app ?? ''}/${entry ?? ''}`);
  process.exit(2);
}
const appDir = join(root, 'apps', app);
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const alias = Object.fromEntries(Object.entries(compilerOptions.paths).map(([k, [v]]) => [k, join(root, v)]));
const bundleJson = join(appDir, 'bundle.json');
const external = existsSync(bundleJson) ? (JSON.parse(readFileSync(bundleJson, 'utf8')).external ?? []) : [];
const out = mkdtempSync(join(tmpdir(), `${app}-bench-bundle-`));
try {
  await build({
    absWorkingDir: root,
    entryPoints: { bench: join(appDir, entry) },
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    alias,
    external,
    tsconfig: join(appDir, 'tsconfig.json'),
    logLevel: 'warning',
    banner: { js: "import { createRequire as __spCreateRequire } from 'node:module'; const require = __spCreateRequire(import.meta.url);" },
  });
  // The bundle lives in a temp dir, so workspace files (e.g. tools/gen-certs.mjs) are passed by absolute path.
  const r = spawnSync(process.execPath, ['--expose-gc', join(out, 'bench.mjs')], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_WORKSPACE_ROOT: root, BENCH_GEN_CERTS: join(root, 'tools/gen-certs.mjs') },
  });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
