// Loads @spiderpool/testing from TypeScript for code that Jest or node runs untransformed: the int tier's
// globalSetup/globalTeardown and the control-plane CLI. Jest loads global hooks through `require` with its
// transform hooked in, which does not apply moduleNameMapper, so the `.js`-suffixed relative imports of our ESM
// sources cannot resolve there; an esbuild bundle (~50 ms, packages left external) sidesteps that.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** @returns {Promise<typeof import('./src/index.ts')>} */
export async function loadHarness() {
  // inside the workspace, so that the bundle's bare imports (execa, yaml) resolve from its node_modules
  const cache = join(here, '..', '..', 'node_modules', '.cache', 'spiderpool-testing');
  mkdirSync(cache, { recursive: true });
  const out = mkdtempSync(join(cache, 'harness-'));
  const file = join(out, 'harness.mjs');
  try {
    await build({
      entryPoints: [join(here, 'src', 'index.ts')],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
