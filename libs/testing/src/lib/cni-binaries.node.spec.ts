import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { requireBinary, resolveBinaries } from './binaries.js';
import { nodeTierSkip } from './tiers.js';

const d = nodeTierSkip() ? describe.skip : describe;

d('Go-built CNI binaries in a network namespace (node tier)', () => {
  const netns = `sp-test-${randomBytes(4).toString('hex')}`;
  let confDir: string;
  beforeAll(async () => {
    await execa('ip', ['netns', 'add', netns]);
    confDir = await mkdtemp(join(tmpdir(), 'sp-cni-conf-'));
  });
  afterAll(async () => {
    await execa('ip', ['netns', 'delete', netns], { reject: false });
    await rm(confDir, { recursive: true, force: true });
  });

  it('cnitool + the loopback plugin from SP_CNI_BIN_DIR bring lo up in a fresh netns', async () => {
    const bins = resolveBinaries();
    const cnitool = requireBinary(bins, 'cnitool');
    const cniBinDir = requireBinary(bins, 'cniBinDir');
    await writeFile(
      join(confDir, '10-lo.conflist'),
      JSON.stringify({ cniVersion: '1.0.0', name: 'lo-test', plugins: [{ type: 'loopback' }] }),
    );
    const linkState = async () =>
      (
        JSON.parse((await execa('ip', ['-n', netns, '-j', 'link', 'show', 'lo'])).stdout) as {
          operstate: string;
          flags: string[];
        }[]
      )[0];
    expect((await linkState())?.flags).not.toContain('UP');

    await execa(cnitool, ['add', 'lo-test', `/var/run/netns/${netns}`], {
      env: { CNI_PATH: cniBinDir, NETCONFPATH: confDir },
    });

    expect((await linkState())?.flags).toContain('UP');
  });
});
