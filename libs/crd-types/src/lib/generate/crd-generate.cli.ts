// CLI of the CRD generator. Run through libs/crd-types/scripts/crd-generate.mjs (esbuild, then node):
//   generate <outDir>   write every CRD file into outDir
//   verify <chartDir>   regenerate into a temp dir and compare with chartDir; exit 1 listing stale files
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_CRDS } from '../parse-manifest.js';
import { diffCrdFiles, GENERATE_COMMAND, renderAllCrdFiles } from './crd-manifest.js';

async function readYamlDir(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const name of names.filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort()) {
    files.set(name, await readFile(join(dir, name), 'utf8'));
  }
  return files;
}

async function writeAll(dir: string): Promise<Map<string, string>> {
  const files = renderAllCrdFiles(ALL_CRDS);
  await mkdir(dir, { recursive: true });
  for (const [name, content] of files) await writeFile(join(dir, name), content);
  return files;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, dir] = argv;
  if ((command !== 'generate' && command !== 'verify') || !dir) {
    process.stderr.write('usage: crd-generate generate|verify <dir>\n');
    return 2;
  }
  if (command === 'generate') {
    const files = await writeAll(dir);
    process.stdout.write(`wrote ${files.size} CRD files to ${dir}\n`);
    return 0;
  }
  const tmp = await mkdtemp(join(tmpdir(), 'crd-verify-'));
  try {
    await writeAll(tmp);
    const stale = diffCrdFiles(await readYamlDir(tmp), await readYamlDir(dir));
    if (stale.length === 0) {
      process.stdout.write(`${dir}: all CRD files are up to date\n`);
      return 0;
    }
    process.stderr.write(`${dir}: stale CRD files (run \`${GENERATE_COMMAND}\`):\n`);
    for (const s of stale) process.stderr.write(`  ${s.file} (${s.reason})\n`);
    return 1;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
