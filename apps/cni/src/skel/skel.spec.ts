import { CniError } from '../errors.js';
import type { CniPlugin } from './plugin.port.js';
import { runSkel } from './skel.js';

/** A minimal plugin recording which handler ran. */
function probePlugin() {
  const ran: string[] = [];
  const plugin: CniPlugin<Record<string, unknown>, null> = {
    name: 'probe',
    about: 'Probe 1.2.3',
    supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'],
    parseConf: (raw) => raw,
    createPorts: () => null,
    add: async () => {
      ran.push('ADD');
      return { ips: [{ address: '10.0.0.2/24' }], dns: {} };
    },
    del: async () => void ran.push('DEL'),
    check: async () => void ran.push('CHECK'),
    status: async () => void ran.push('STATUS'),
    gc: async () => void ran.push('GC'),
    toCniError: (e) => (e instanceof CniError ? e : new CniError(999, String(e))),
  };
  return { plugin, ran };
}

const BASE = { CNI_CONTAINERID: 'abc', CNI_NETNS: '/n', CNI_IFNAME: 'eth0', CNI_PATH: '/opt/cni/bin' };
const CONF = JSON.stringify({ cniVersion: '1.0.0', name: 'net' });

async function run(env: Record<string, string | undefined>, stdin = CONF) {
  const p = probePlugin();
  const out = await runSkel(p.plugin, { env, readStdin: async () => stdin });
  return {
    ...out,
    ran: p.ran,
    json: out.stdout ? (JSON.parse(out.stdout) as Record<string, unknown>) : undefined,
  };
}

describe('skel dispatch', () => {
  it('prints the about string and versions on stderr when CNI_COMMAND is empty', async () => {
    const out = await run({});
    expect(out).toMatchObject({ stdout: '', exitCode: 0 });
    expect(out.stderr).toBe(
      'Probe 1.2.3\nCNI protocol versions supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n',
    );
  });

  it('VERSION needs no other variable and prints the supported versions', async () => {
    const out = await run({ CNI_COMMAND: 'VERSION' }, 'not read');
    expect(out.exitCode).toBe(0);
    expect(out.json).toEqual({
      cniVersion: '1.1.0',
      supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'],
    });
  });

  it('lists every missing variable (code 4)', async () => {
    const out = await run({ CNI_COMMAND: 'ADD', CNI_IFNAME: 'eth0' });
    expect(out.json).toMatchObject({
      code: 4,
      msg: 'required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_PATH] missing',
    });
    expect(out.ran).toEqual([]);
  });

  it('DEL does not need CNI_NETNS', async () => {
    const out = await run({ ...BASE, CNI_COMMAND: 'DEL', CNI_NETNS: undefined });
    expect(out).toMatchObject({ exitCode: 0, stdout: '' });
    expect(out.ran).toEqual(['DEL']);
  });

  it('rejects unknown commands (code 4)', async () => {
    const out = await run({ ...BASE, CNI_COMMAND: 'FROB' });
    expect(out.json).toMatchObject({ code: 4, msg: 'unknown CNI_COMMAND: FROB' });
  });

  it.each([
    ['{not json', 6, 'failed to decode network configuration'],
    ['[]', 6, 'failed to decode network configuration'],
    [JSON.stringify({ cniVersion: 1, name: 'n' }), 6, 'failed to decode network configuration'],
    [JSON.stringify({ cniVersion: '1.0.0' }), 7, 'missing network name'],
    [
      JSON.stringify({ cniVersion: '1.0.0', name: '-bad name' }),
      7,
      'invalid characters found in network name',
    ],
    [JSON.stringify({ cniVersion: '2.0.0', name: 'n' }), 1, 'incompatible CNI versions'],
    [JSON.stringify({ name: 'n' }), 1, 'incompatible CNI versions'],
  ])('rejects stdin %s with code %s', async (stdin, code, msg) => {
    const out = await run({ ...BASE, CNI_COMMAND: 'ADD' }, stdin);
    expect(out.exitCode).toBe(1);
    expect(out.json).toMatchObject({ code, msg });
    expect(out.ran).toEqual([]);
  });

  it('reports stdin read failures as code 5', async () => {
    const p = probePlugin();
    const out = await runSkel(p.plugin, {
      env: { ...BASE, CNI_COMMAND: 'ADD' },
      readStdin: async () => {
        throw new Error('EIO');
      },
    });
    expect(JSON.parse(out.stdout)).toMatchObject({ code: 5 });
  });

  it.each([
    ['CNI_CONTAINERID', 'a/b'],
    ['CNI_IFNAME', 'a-very-long-interface-name'],
    ['CNI_IFNAME', 'eth:0'],
    ['CNI_IFNAME', '..'],
  ])('validates %s=%s (code 4)', async (key, value) => {
    const out = await run({ ...BASE, CNI_COMMAND: 'ADD', [key]: value });
    expect(out.json).toMatchObject({ code: 4 });
  });

  it('prints errors in the config version when supported, else in the latest', async () => {
    const old = await run({ ...BASE, CNI_COMMAND: 'ADD' }, JSON.stringify({ cniVersion: '0.3.1' }));
    expect(old.json).toMatchObject({ cniVersion: '0.3.1', code: 7 });
    const future = await run(
      { ...BASE, CNI_COMMAND: 'ADD' },
      JSON.stringify({ cniVersion: '9.0.0', name: 'n' }),
    );
    expect(future.json).toMatchObject({ cniVersion: '1.1.0', code: 1 });
  });

  it('refuses CHECK below 0.4.0 (code 1)', async () => {
    const out = await run(
      { ...BASE, CNI_COMMAND: 'CHECK' },
      JSON.stringify({ cniVersion: '0.3.1', name: 'n' }),
    );
    expect(out.json).toMatchObject({ code: 1, msg: 'config version does not allow CHECK' });
  });

  it('rejects an undecodable prevResult (code 6)', async () => {
    const stdin = JSON.stringify({ cniVersion: '1.0.0', name: 'n', prevResult: { ips: [{ address: 7 }] } });
    const out = await run({ ...BASE, CNI_COMMAND: 'CHECK' }, stdin);
    expect(out.json).toMatchObject({ code: 6, msg: 'failed to decode prevResult' });
  });

  it.each([
    ['K8S_POD_NAME', 'ARGS: invalid pair "K8S_POD_NAME"'],
    ['FOO=1', 'ARGS: unknown args [FOO]'],
  ])('rejects CNI_ARGS %s (code 4)', async (args, msg) => {
    const out = await run({ ...BASE, CNI_COMMAND: 'ADD', CNI_ARGS: args });
    expect(out.json).toMatchObject({ code: 4, msg: `failed to load CNI ENV args: ${msg}` });
  });

  it('accepts unknown CNI_ARGS keys with IgnoreUnknown=1', async () => {
    const out = await run({ ...BASE, CNI_COMMAND: 'ADD', CNI_ARGS: 'IgnoreUnknown=1;FOO=1' });
    expect(out.exitCode).toBe(0);
  });

  it('turns an unexpected throw into a CNI error object on stdout', async () => {
    const p = probePlugin();
    p.plugin.add = async () => {
      throw new TypeError('x is undefined');
    };
    const out = await runSkel(p.plugin, {
      env: { ...BASE, CNI_COMMAND: 'ADD' },
      readStdin: async () => CONF,
    });
    expect(out.exitCode).toBe(1);
    expect(JSON.parse(out.stdout)).toEqual({
      cniVersion: '1.0.0',
      code: 999,
      msg: 'TypeError: x is undefined',
    });
  });
});
