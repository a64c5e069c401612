// Cold-start benchmark of the CNI executable (not a test; prints figures, asserts nothing).
//   node apps/cni/bench/cold-start.mjs [runs]      (nx run cni:bench; needs nx run cni:package first)
// Each variant is exec'd with the environment a container runtime gives a plugin — only CNI_* and
// PATH (no NODE_EXTRA_CA_CERTS, no NODE_OPTIONS) — for VERSION, and for ADD + DEL against an
// in-process fake agent on a temp unix socket. Prints p50/p99 wall time per variant side by side.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const runs = Number(process.argv[2] ?? 40);
const bundle = join(root, 'dist/apps/cni/cni.cjs');
const sea = join(root, 'dist/cni/bin/spiderpool');
for (const f of [bundle, sea]) {
  if (!existsSync(f)) {
    console.error(`missing ${f}; run: nx run cni:package`);
    process.exit(2);
  }
}
const work = mkdtempSync(join(tmpdir(), 'cni-bench-'));

// SEA without code cache, for comparison.
execFileSync(
  process.execPath,
  [join(root, 'tools/sea.mjs'), '--no-code-cache', '--out', join(work, 'nocache')],
  {
    stdio: ['ignore', 'ignore', 'ignore'],
  },
);

// The fake agent is TypeScript; bundle it for this script.
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
await build({
  entryPoints: [join(root, 'apps/cni/src/agent-client/agent-server.fake.ts')],
  outfile: join(work, 'agent.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  alias: Object.fromEntries(Object.entries(compilerOptions.paths).map(([k, [v]]) => [k, join(root, v)])),
  logLevel: 'warning',
});
const { startFakeAgentServer } = await import(pathToFileURL(join(work, 'agent.mjs')).href);
const agent = await startFakeAgentServer(join(work, 'agent.sock'));

const variants = [
  { name: 'node -e 0 (baseline)', cmd: process.execPath, args: ['-e', '0'], baseline: true },
  { name: 'node cni.cjs', cmd: process.execPath, args: [bundle] },
  { name: 'SEA, no code cache', cmd: join(work, 'nocache/spiderpool'), args: [] },
  { name: 'SEA + code cache', cmd: sea, args: [] },
];

const conf = JSON.stringify({
  cniVersion: '1.0.0',
  name: 'bench',
  ipam: {
    type: 'spiderpool',
    ipam_unix_socket_path: agent.socketPath,
    log_file_path: join(work, 'log/sp.log'),
    log_level: 'info',
  },
});
const baseEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  CNI_CONTAINERID: 'bench',
  CNI_NETNS: '/var/run/netns/bench',
  CNI_IFNAME: 'eth0',
  CNI_PATH: '/opt/cni/bin',
  CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=bench;K8S_POD_NAME=bench;K8S_POD_UID=u',
};

function once(v, env, stdin) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(v.cmd, v.args, { env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0 && !v.baseline) reject(new Error(`${v.name} exited ${code}: ${out}`));
      else resolve(ms);
    });
    child.stdin.on('error', () => undefined); // the baseline exits without reading stdin
    child.stdin.end(stdin);
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

// Variants are interleaved run by run, so background load hits them all alike.
const rows = variants.map((v) => ({ v, version: [], add: [], del: [] }));
try {
  for (let i = 0; i < runs + 3; i++) {
    for (const row of rows) {
      const vt = await once(row.v, { ...baseEnv, CNI_COMMAND: 'VERSION' }, '');
      const at = await once(row.v, { ...baseEnv, CNI_COMMAND: 'ADD' }, conf);
      const dt = await once(row.v, { ...baseEnv, CNI_COMMAND: 'DEL' }, conf);
      if (i < 3) continue; // warm the page cache
      row.version.push(vt);
      row.add.push(at);
      row.del.push(dt);
    }
  }
} finally {
  await agent.close();
  rmSync(work, { recursive: true, force: true });
}

const f = (x) => x.toFixed(1).padStart(6);
console.log(
  `cold start, ${runs} runs each, ms (p50 / p99); node ${process.version}, env = CNI_* + PATH only`,
);
console.log(`${'variant'.padEnd(24)} ${'VERSION'.padStart(15)} ${'ADD'.padStart(15)} ${'DEL'.padStart(15)}`);
for (const { v, version, add, del } of rows) {
  const cell = (xs) => `${f(pct(xs, 50))} /${f(pct(xs, 99))}`;
  console.log(`${v.name.padEnd(24)} ${cell(version)} ${cell(add)} ${cell(del)}`);
}
console.log('(baseline runs `node -e 0` for every column; it ignores CNI_COMMAND)');
