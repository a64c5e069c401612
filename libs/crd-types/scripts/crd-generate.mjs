// Runs the CRD generator (src/lib/generate/crd-generate.cli.ts): bundles it with esbuild into tmp/, then
// imports it. Usage: node libs/crd-types/scripts/crd-generate.mjs generate|verify <dir>
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const lib = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(lib, '..', '..');
await import('node:fs').then((fs) => fs.mkdirSync(join(root, 'tmp'), { recursive: true }));
const out = await mkdtemp(join(root, 'tmp', 'crd-generate-'));
try {
  const outfile = join(out, 'crd-generate.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: [join(lib, 'src/lib/generate/crd-generate.cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  const { main } = await import(pathToFileURL(outfile).href);
  process.exitCode = await main(process.argv.slice(2));
} finally {
  await rm(out, { recursive: true, force: true });
}
