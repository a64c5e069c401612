// Node tier: the packaged `ifacer` run inside a scratch "host" netns. Needs kernel vlan support; this
// file probes `ip link add … type vlan` in its own scratch namespace and skips with the reason if not.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const EXE = resolve(import.meta.dirname, '../../../../dist/cni/bin/ifacer');
const hostNs = `sptest-if${process.pid}`;

function probeVlan(): string | undefined {
  const probeNs = `sptest-vp${process.pid}`;
  if (spawnSync('ip', ['netns', 'add', probeNs]).status !== 0) return 'cannot create a network namespace';
  try {
    const ex = (...a: string[]) =>
      spawnSync('ip', ['netns', 'exec', probeNs, 'ip', ...a], { encoding: 'utf8' });
    ex('link', 'add', 'p0', 'type', 'bridge');
    const r = ex('link', 'add', 'link', 'p0', 'name', 'p0.7', 'type', 'vlan', 'id', '7');
    return r.status === 0
      ? undefined
      : `kernel has no vlan support (ip link add … type vlan: ${r.stderr.trim()})`;
  } finally {
    spawnSync('ip', ['netns', 'del', probeNs]);
  }
}

const skipReason = !existsSync(EXE)
  ? `packaged executable missing at ${EXE} (run nx run cni:package)`
  : process.getuid?.() !== 0
    ? 'not root'
    : probeVlan();
if (skipReason) process.stderr.write(`ifacer.node.spec skipped: ${skipReason}\n`);
const describeNode = skipReason ? describe.skip : describe;

describeNode('packaged ifacer executable', () => {
  beforeEach(() => {
    spawnSync('ip', ['netns', 'add', hostNs]);
    spawnSync('ip', ['netns', 'exec', hostNs, 'ip', 'link', 'add', 'ens9', 'type', 'bridge']);
  });
  afterEach(() => void spawnSync('ip', ['netns', 'del', hostNs]));

  const run = () =>
    spawnSync('nsenter', [`--net=/var/run/netns/${hostNs}`, '--', EXE], {
      encoding: 'utf8',
      env: {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        CNI_COMMAND: 'ADD',
        CNI_CONTAINERID: 'c1',
        CNI_NETNS: '/var/run/netns/x',
        CNI_IFNAME: 'net1',
        CNI_PATH: '/opt/cni/bin',
      },
      input: JSON.stringify({
        cniVersion: '1.0.0',
        name: 'vlan100',
        type: 'ifacer',
        interfaces: ['ens9'],
        vlanID: 100,
      }),
    });

  it('creates ens9.100 up, and a second ADD reuses it', () => {
    const first = run();
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ cniVersion: '1.0.0', dns: {} });
    expect(run().status).toBe(0);
    const link = spawnSync('ip', ['netns', 'exec', hostNs, 'ip', '-d', 'link', 'show', 'ens9.100'], {
      encoding: 'utf8',
    });
    expect(link.stdout).toMatch(/vlan protocol 802.1Q id 100/);
    expect(link.stdout).toContain('UP');
  });
});
