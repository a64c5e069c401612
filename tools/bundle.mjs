// tools/bundle.mjs APP — bundle one app into dist/apps/APP with esbuild.
// Services become one ESM file run by `node`; the CNI plugins become CommonJS files that
// tools/sea.mjs turns into self-contained executables (docs/adr/0002-cni-binary.md).
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = process.argv[2];
if (!app || !existsSync(join(root, 'apps', app, 'project.json'))) {
  console.error(`usage: node tools/bundle.mjs <app>; no app named '${app ?? ''}'`);
  process.exit(2);
}
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const alias = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([k, [v]]) => [k, join(root, v)]),
);
const manifest = join(root, 'apps', app, 'bundle.json');
/** @type {{ entries: Record<string,string>, format?: 'esm'|'cjs', external?: string[] }} */
const spec = existsSync(manifest)
  ? JSON.parse(readFileSync(manifest, 'utf8'))
  : { entries: { main: 'src/main.ts' }, format: 'esm' };
const format = spec.format ?? 'esm';
await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(Object.entries(spec.entries).map(([k, v]) => [k, join('apps', app, v)])),
  outdir: join('dist', 'apps', app),
  outExtension: { '.js': format === 'esm' ? '.mjs' : '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node24',
  format,
  alias,
  // Optional peers that frameworks load lazily (e.g. NestJS microservices/websockets) stay unresolved.
  external: spec.external ?? [],
  sourcemap: true,
  tsconfig: join(root, 'apps', app, 'tsconfig.json'),
  logLevel: 'warning',
  // ESM bundles of CommonJS dependencies need a real require().
  banner:
    format === 'esm'
      ? { js: "import { createRequire as __spCreateRequire } from 'node:module'; const require = __spCreateRequire(import.meta.url);" }
      : {},
});
console.log(`bundled apps/${app} → dist/apps/${app} (${format})`);
