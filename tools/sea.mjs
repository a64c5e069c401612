// tools/sea.mjs — package the CNI bundle (dist/apps/cni/cni.cjs, from `node tools/bundle.mjs cni`)
// as a Node single executable application: one multi-call binary `spiderpool` plus hard links
// `coordinator` and `ifacer` (the plugin is chosen by the invoked name). See docs/adr/0002-cni-binary.md.
//
//   node tools/sea.mjs [--out DIR] [--no-code-cache] [--bundle FILE]
// (A V8 startup snapshot, `useSnapshot`, was tried and rejected: see the ADR.)
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const outDir = resolve(root, opt('--out', 'dist/cni/bin'));
const bundle = resolve(root, opt('--bundle', 'dist/apps/cni/cni.cjs'));
const useCodeCache = !args.includes('--no-code-cache');
const NAMES = ['spiderpool', 'coordinator', 'ifacer'];
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

if (!existsSync(bundle)) {
  console.error(`missing ${bundle}; run: node tools/bundle.mjs cni`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'sea-'));
try {
  const blob = join(work, 'prep.blob');
  const config = join(work, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      main: bundle,
      output: blob,
      disableExperimentalSEAWarning: true,
      useCodeCache,
      useSnapshot: false,
    }),
  );
  // The blob must be made by the same node binary that is copied below.
  execFileSync(process.execPath, ['--experimental-sea-config', config], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  mkdirSync(outDir, { recursive: true });
  const exe = join(outDir, 'spiderpool');
  rmSync(exe, { force: true });
  copyFileSync(process.execPath, exe);
  chmodSync(exe, 0o755);
  const { inject } = createRequire(import.meta.url)('postject');
  await inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: FUSE });
  for (const name of NAMES.slice(1)) {
    const link = join(outDir, name);
    rmSync(link, { force: true });
    linkSync(exe, link);
  }
  console.log(
    `packaged ${exe} (+ ${NAMES.slice(1).join(', ')} as hard links; code cache ${useCodeCache ? 'on' : 'off'})`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
