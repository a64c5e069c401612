import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { ControlPlaneStartError } from './errors.js';

/**
 * Test PKI made with the `openssl` CLI: node:crypto can make keys but cannot issue X.509 certificates, and the
 * CLI (on every CI image, and in tools/system-deps.sh) avoids a certificate library dependency. ECDSA P-256
 * keys keep generation to a few milliseconds. Everything lives one week and under the run directory only.
 */
export interface ClientIdentity {
  /** Certificate CN = Kubernetes user name. */
  user: string;
  /** Certificate O entries = Kubernetes groups. */
  groups?: string[];
}

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  /** Service-account token signing key (private) and its public half. */
  saKey: string;
  saPub: string;
  clients: Record<string, { cert: string; key: string }>;
}

const OPENSSL_CONFIG = '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n';
const DAYS = '7';

function serial(): string {
  return `0x${randomBytes(16).toString('hex').replace(/^./, '1')}`;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await execa('openssl', args, { stdin: 'ignore' });
  } catch (cause) {
    throw new ControlPlaneStartError(`openssl ${args[0]} failed (is the openssl CLI installed?)`, { cause });
  }
}

function leafArgs(
  pki: { dir: string; caCert: string; caKey: string },
  name: string,
  subj: string,
  ext: string[],
): string[] {
  return [
    'req',
    '-x509',
    '-config',
    join(pki.dir, 'openssl.cnf'),
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(pki.dir, `${name}.key`),
    '-out',
    join(pki.dir, `${name}.crt`),
    '-CA',
    pki.caCert,
    '-CAkey',
    pki.caKey,
    '-set_serial',
    serial(),
    '-days',
    DAYS,
    '-subj',
    subj,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    ...ext.flatMap((e) => ['-addext', e]),
  ];
}

/** Escapes a value for an openssl `-subj` component. */
function rdn(value: string): string {
  return value.replace(/[/\\+=,]/g, (c) => `\\${c}`);
}

/** Creates a CA, a serving certificate for 127.0.0.1/localhost/kubernetes.default…, client certs and an SA key. */
export async function createPki(dir: string, clients: Record<string, ClientIdentity>): Promise<Pki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'openssl.cnf'), OPENSSL_CONFIG);
  const caCert = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  await openssl([
    'req',
    '-x509',
    '-config',
    join(dir, 'openssl.cnf'),
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    caCert,
    '-set_serial',
    serial(),
    '-days',
    DAYS,
    '-subj',
    '/CN=spiderpool-test-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  const base = { dir, caCert, caKey };
  const sans = [
    'IP:127.0.0.1',
    'IP:10.0.0.1',
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ].join(',');
  const jobs: Promise<void>[] = [
    openssl(
      leafArgs(base, 'apiserver', '/CN=kube-apiserver', [
        `subjectAltName=${sans}`,
        'extendedKeyUsage=serverAuth',
      ]),
    ),
    openssl([
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-out',
      join(dir, 'sa.key'),
    ]).then(() => openssl(['pkey', '-in', join(dir, 'sa.key'), '-pubout', '-out', join(dir, 'sa.pub')])),
  ];
  const out: Pki['clients'] = {};
  for (const [name, id] of Object.entries(clients)) {
    const subj = [...(id.groups ?? []).map((g) => `/O=${rdn(g)}`), `/CN=${rdn(id.user)}`].join('');
    jobs.push(openssl(leafArgs(base, `client-${name}`, subj, ['extendedKeyUsage=clientAuth'])));
    out[name] = { cert: join(dir, `client-${name}.crt`), key: join(dir, `client-${name}.key`) };
  }
  await Promise.all(jobs);
  return {
    dir,
    caCert,
    caKey,
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    saKey: join(dir, 'sa.key'),
    saPub: join(dir, 'sa.pub'),
    clients: out,
  };
}
