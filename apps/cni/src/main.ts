// Entry point of the CNI executable (bundled to CommonJS, packaged as a Node SEA). Only bootstraps:
// picks the plugin by invocation name, hands env + stdin to the skel, prints what it returns.
import { createPlugins, selectPlugin } from './plugins.js';
import { runSkel } from './skel/skel.js';
import { agentSocketOverride } from './spiderpool/agent-socket.js';

import pkg from '../package.json' with { type: 'json' };

const VERSION = pkg.version;

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

async function main(): Promise<void> {
  const plugins = createPlugins(VERSION, { agentSocket: agentSocketOverride(process.env) });
  const name = selectPlugin(Object.keys(plugins), process.argv0, process.argv[1]);
  const create = plugins[name];
  if (!create) throw new Error(`no plugin named ${name}`);
  const plugin = create();
  const out = await runSkel(plugin, { env: process.env, readStdin });
  if (out.stderr) process.stderr.write(out.stderr);
  process.exitCode = out.exitCode;
  if (out.stdout) process.stdout.write(out.stdout);
}

function run(): void {
  main().catch((err: unknown) => {
    // Last resort: still answer with a CNI error object on stdout.
    const msg = err instanceof Error ? err.message : String(err);
    process.stdout.write(`${JSON.stringify({ cniVersion: '1.1.0', code: 999, msg }, null, 4)}\n`);
    process.exitCode = 1;
  });
}

run();
