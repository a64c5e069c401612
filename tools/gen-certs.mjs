#!/usr/bin/env node
// tools/gen-certs.mjs --out DIR [--san NAME|IP]... [--days N] [--cn NAME]
// Writes ca.crt, ca.key, tls.crt, tls.key: a small CA and a serving certificate signed by it, for the admission
// webhook (local cluster, int tests, chart). Uses the `openssl` CLI through execFile (docs/adr/0008-webhook.md):
// node:crypto can verify X.509 but cannot create it.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Default SANs: loopback plus the in-cluster Service names of the controller. */
export const DEFAULT_SANS = [
  '127.0.0.1',
  'localhost',
  'spiderpool-controller',
  'spiderpool-controller.kube-system',
  'spiderpool-controller.kube-system.svc',
  'spiderpool-controller.kube-system.svc.cluster.local',
];

/**
 * @param {{ outDir: string, sans?: string[], days?: number, cn?: string, openssl?: string }} opts
 * @returns {Promise<{ caCert: string, cert: string, key: string }>} file paths
 */
export async function genCerts({ outDir, sans = DEFAULT_SANS, days = 3650, cn = 'spidernet.io', openssl = 'openssl' }) {
  if (sans.length === 0) throw new Error('gen-certs: at least one SAN is required');
  const dir = await mkdtemp(join(tmpdir(), 'sp-certs-'));
  const ossl = (...args) => run(openssl, args, { cwd: dir });
  try {
    const san = sans.map((s) => (isIP(s) ? `IP:${s}` : `DNS:${s}`)).join(',');
    await writeFile(
      join(dir, 'ext.cnf'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${san}`,
        '',
      ].join('\n'),
    );
    await ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key',
      '-out', 'ca.crt', '-days', String(days), '-subj', `/CN=${cn} CA`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    await ossl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'tls.key',
      '-out', 'tls.csr', '-subj', `/CN=${cn}`);
    await ossl('x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', 'tls.crt', '-days', String(days), '-extfile', 'ext.cnf');
    const out = resolve(outDir);
    await mkdir(out, { recursive: true });
    // tls.crt/tls.key last, so a watcher never sees a new cert with an old key for long.
    for (const f of ['ca.crt', 'ca.key', 'tls.key', 'tls.crt']) {
      await copyFile(join(dir, f), join(out, `${f}.tmp`));
    }
    for (const f of ['ca.crt', 'ca.key', 'tls.key', 'tls.crt']) {
      await rename(join(out, `${f}.tmp`), join(out, f));
    }
    await chmod(join(out, 'tls.key'), 0o600);
    await chmod(join(out, 'ca.key'), 0o600);
    return { caCert: join(out, 'ca.crt'), cert: join(out, 'tls.crt'), key: join(out, 'tls.key') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const opts = { sans: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--out') opts.outDir = next();
    else if (a === '--san') opts.sans.push(next());
    else if (a === '--days') opts.days = Number(next());
    else if (a === '--cn') opts.cn = next();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.outDir) throw new Error('--out DIR is required');
  if (opts.sans.length === 0) delete opts.sans;
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const files = await genCerts(parseArgs(process.argv.slice(2)));
    console.log(`wrote ${files.caCert}, ${files.cert}, ${files.key}`);
  } catch (err) {
    console.error(`gen-certs: ${err.message}`);
    console.error('usage: node tools/gen-certs.mjs --out DIR [--san NAME|IP]... [--days N] [--cn NAME]');
    process.exit(2);
  }
}
