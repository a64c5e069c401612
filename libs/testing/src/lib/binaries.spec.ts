import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvFile, requireBinary, resolveBinaries } from './binaries.js';
import { BinaryNotFoundError } from './errors.js';

describe('binary resolution', () => {
  let cache: string;
  beforeEach(async () => {
    cache = await mkdtemp(join(tmpdir(), 'sp-bins-'));
    await mkdir(join(cache, 'bin'));
  });
  afterEach(() => rm(cache, { recursive: true, force: true }));

  it('parses the export lines of current.env', () => {
    expect(parseEnvFile('# c\nexport SP_ETCD=\'/a b/etcd\'\nSP_X="y"\nexport SP_Z=z\n\n')).toEqual({
      SP_ETCD: '/a b/etcd',
      SP_X: 'y',
      SP_Z: 'z',
    });
  });

  it('reads current.env from the cache and lets SP_* variables override it', async () => {
    await writeFile(
      join(cache, 'bin', 'current.env'),
      "export SP_ETCD='/file/etcd'\nexport SP_KUBECTL='/file/kubectl'\n",
    );
    const bins = resolveBinaries({ SPIDERPOOL_CACHE: cache, SP_KUBECTL: '/env/kubectl' });
    expect(bins).toEqual({ etcd: '/file/etcd', kubectl: '/env/kubectl' });
  });

  it('without a build, requireBinary names the build script', () => {
    const bins = resolveBinaries({ SPIDERPOOL_CACHE: cache });
    expect(() => requireBinary(bins, 'etcd')).toThrow(BinaryNotFoundError);
    expect(() => requireBinary(bins, 'etcd')).toThrow(/tools\/build-binaries\.sh/);
    expect(() => requireBinary({ etcd: join(cache, 'nope') }, 'etcd')).toThrow(/is not usable/);
  });
});
