// node libs/agent-api/scripts/openapi.mjs generate|verify
//   generate — write libs/agent-api/openapi.yaml from the zod schemas (src/lib/openapi.ts)
//   verify   — regenerate into a temp dir and diff against the committed file (CI)
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { stringify } from 'yaml';

const lib = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(lib, 'openapi.yaml');
const mode = process.argv[2];
if (mode !== 'generate' && mode !== 'verify') {
  console.error('usage: node libs/agent-api/scripts/openapi.mjs generate|verify');
  process.exit(2);
}

const BANNER =
  '# DO NOT EDIT. Generated from libs/agent-api/src/lib/*.ts by `nx run agent-api:generate`.\n' +
  '# The zod schemas are the source of truth; `nx run agent-api:verify` fails on any drift.\n';

const tmp = mkdtempSync(join(tmpdir(), 'agent-api-openapi-'));
try {
  const bundle = join(tmp, 'openapi.mjs');
  await build({
    entryPoints: [join(lib, 'src/lib/openapi.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'warning',
  });
  const { buildOpenApiDocument } = await import(pathToFileURL(bundle).href);
  // Formatted with the repo's prettier config so `format:check` and `verify` agree.
  const raw = BANNER + stringify(buildOpenApiDocument(), { lineWidth: 0 });
  const text = await format(raw, { ...(await resolveConfig(target)), filepath: target });
  const fresh = join(tmp, 'openapi.yaml');
  writeFileSync(fresh, text);
  if (mode === 'generate') {
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  } else {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      /* missing file is drift */
    }
    if (current !== text) {
      console.error(
        `${target} is stale or hand-edited; run: nx run agent-api:generate (fresh copy: ${fresh})`,
      );
      process.exitCode = 1;
    } else {
      console.log(`${target} is up to date`);
    }
  }
} finally {
  if (!process.exitCode) rmSync(tmp, { recursive: true, force: true });
}
