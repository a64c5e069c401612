// The two scripts the chart ships to nodes: the CNI binary installer and the Multus sidecar entrypoint.
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartDir } from './chart-render.js';

const installScript = readFileSync(join(chartDir, 'files', 'install-cni.sh'), 'utf8');
const multusEntrypoint = join(chartDir, 'files', 'multus-entrypoint.mjs');

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'sp-chart-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const checkScript = readFileSync(join(chartDir, 'files', 'check-detection-tools.sh'), 'utf8');
const checkTools = (root: string, tools: string[]) =>
  execa('/bin/sh', ['-c', checkScript, 'check-detection-tools', root, ...tools], { reject: false });
const hostTool = (root: string, dir: string, name: string, mode = 0o755) => {
  mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, dir, name), '#!/bin/sh\n', { mode });
};

describe('files/check-detection-tools.sh', () => {
  it('passes when every tool is an executable in one of the host’s /usr bin directories', async () => {
    hostTool(work, 'usr/bin', 'arping');
    hostTool(work, 'usr/local/sbin', 'ndisc6');
    const r = await checkTools(work, ['arping', 'ndisc6']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('found /usr/bin/arping');
    expect(r.stdout).toContain('found /usr/local/sbin/ndisc6');
  });

  it('fails naming the missing tools and their packages; a non-executable file does not count', async () => {
    hostTool(work, 'usr/sbin', 'arping', 0o644);
    const r = await checkTools(work, ['arping', 'ndisc6']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('need arping ndisc6 on every node');
    expect(r.stderr).toContain('apt-get install iputils-arping ndisc6');
  });

  it('checks only the tools it is given', async () => {
    hostTool(work, 'usr/bin', 'arping');
    expect((await checkTools(work, ['arping'])).exitCode).toBe(0);
    expect((await checkTools(work, ['ndisc6'])).exitCode).toBe(1);
  });
});

const install = (src: string, dest: string, names: string[]) =>
  execa('/bin/sh', ['-c', installScript, 'install-cni', src, dest, ...names], { reject: false });

describe('files/install-cni.sh', () => {
  it('installs the named executables, replacing an existing binary by rename so its old inode survives', async () => {
    const src = join(work, 'src');
    const dest = join(work, 'dest');
    mkdirSync(src);
    mkdirSync(dest);
    writeFileSync(join(src, 'spiderpool'), 'new-spiderpool');
    writeFileSync(join(src, 'coordinator'), 'new-coordinator');
    writeFileSync(join(dest, 'spiderpool'), 'old-spiderpool');
    const oldInode = statSync(join(dest, 'spiderpool')).ino;

    const r = await install(src, dest, ['spiderpool', 'coordinator']);

    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(dest, 'spiderpool'), 'utf8')).toBe('new-spiderpool');
    expect(readFileSync(join(dest, 'coordinator'), 'utf8')).toBe('new-coordinator');
    expect(statSync(join(dest, 'spiderpool')).ino).not.toBe(oldInode);
    expect(statSync(join(dest, 'spiderpool')).mode & 0o777).toBe(0o755);
    expect(readdirSync(dest).sort()).toEqual(['coordinator', 'spiderpool']);
  });

  it('without names installs every file of the source directory', async () => {
    const src = join(work, 'plugins');
    mkdirSync(src);
    for (const p of ['macvlan', 'ipvlan', 'host-local']) writeFileSync(join(src, p), p);
    const r = await install(src, join(work, 'bin'), []);
    expect(r.exitCode).toBe(0);
    expect(readdirSync(join(work, 'bin')).sort()).toEqual(['host-local', 'ipvlan', 'macvlan']);
  });

  it('fails, leaving the target untouched, when a named executable is missing', async () => {
    const dest = join(work, 'dest');
    mkdirSync(dest);
    writeFileSync(join(dest, 'ifacer'), 'old');
    const r = await install(join(work, 'nowhere'), dest, ['ifacer']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('does not exist');
    expect(readFileSync(join(dest, 'ifacer'), 'utf8')).toBe('old');
  });
});

describe('files/multus-entrypoint.mjs', () => {
  const run = (extra: Record<string, string>) => {
    const sa = join(work, 'sa');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'ca.crt'), 'CA');
    writeFileSync(join(sa, 'token'), 'tok\n');
    return execa(process.execPath, [multusEntrypoint], {
      reject: false,
      env: {
        MULTUS_ONCE: 'true',
        MULTUS_CNI_CONF_DIR: join(work, 'net.d'),
        MULTUS_SA_DIR: sa,
        MULTUS_NAMESPACE: 'kube-system',
        KUBERNETES_SERVICE_HOST: '10.96.0.1',
        KUBERNETES_SERVICE_PORT: '443',
        ...extra,
      },
    });
  };

  it('writes 00-multus.conf with the configured cluster network and a kubeconfig from the ServiceAccount', async () => {
    mkdirSync(join(work, 'net.d'));
    const r = await run({ MULTUS_CLUSTER_NETWORK: 'macvlan-conf' });
    expect(r.exitCode).toBe(0);
    const conf = JSON.parse(readFileSync(join(work, 'net.d', '00-multus.conf'), 'utf8'));
    expect(conf).toMatchObject({
      cniVersion: '0.3.1',
      type: 'multus',
      clusterNetwork: 'macvlan-conf',
      multusNamespace: 'kube-system',
      kubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
    });
    const kubeconfig = readFileSync(join(work, 'net.d', 'multus.d', 'multus.kubeconfig'), 'utf8');
    expect(kubeconfig).toContain('server: https://10.96.0.1:443');
    expect(kubeconfig).toContain('token: tok');
    expect(kubeconfig).toContain(`certificate-authority-data: ${Buffer.from('CA').toString('base64')}`);
  });

  it('without a cluster network takes the name of the first non-multus CNI config', async () => {
    mkdirSync(join(work, 'net.d'));
    writeFileSync(join(work, 'net.d', '00-multus.conf'), JSON.stringify({ name: 'multus-cni-network' }));
    writeFileSync(join(work, 'net.d', '10-calico.conflist'), JSON.stringify({ name: 'k8s-pod-network', plugins: [] }));
    writeFileSync(join(work, 'net.d', '20-other.conf'), JSON.stringify({ name: 'other' }));
    const r = await run({ MULTUS_CLUSTER_NETWORK: '' });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'net.d', '00-multus.conf'), 'utf8')).clusterNetwork).toBe('k8s-pod-network');
  });

  it('fails when there is neither a cluster network nor a CNI config', async () => {
    mkdirSync(join(work, 'net.d'));
    const r = await run({ MULTUS_CLUSTER_NETWORK: '' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('no MULTUS_CLUSTER_NETWORK');
  });
});
