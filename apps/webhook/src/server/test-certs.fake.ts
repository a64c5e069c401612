// Loads tools/gen-certs.mjs (outside this project, so by URL rather than a static import) for tests and the bench.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type GenCerts = (opts: { outDir: string; sans?: string[]; days?: number }) => Promise<{ caCert: string; cert: string; key: string }>;

const DEFAULT_TOOL = join(dirname(fileURLToPath(import.meta.url)), '../../../../tools/gen-certs.mjs');

/** `tool` overrides the script path when this module runs from a bundle outside the repo (the bench). */
export async function genTestCerts(
  outDir: string,
  sans: string[] = ['127.0.0.1', 'localhost'],
  tool: string = DEFAULT_TOOL,
): ReturnType<GenCerts> {
  const mod = (await import(pathToFileURL(tool).href)) as { genCerts: GenCerts };
  return mod.genCerts({ outDir, sans });
}
