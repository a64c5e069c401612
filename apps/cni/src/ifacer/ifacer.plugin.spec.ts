import { FakeNetlink } from '@spiderpool/netlink';
import { runSkel } from '../skel/skel.js';
import { parseBondOptions } from './bond-options.js';
import { createIfacerPlugin } from './ifacer.plugin.js';

async function node() {
  const nl = new FakeNetlink();
  for (const name of ['ens1', 'ens2']) await nl.createLink({ kind: 'dummy', name }, {});
  const warnings: string[] = [];
  const plugin = createIfacerPlugin({ netlink: () => nl, warn: (m) => void warnings.push(m) });
  const run = (conf: Record<string, unknown>, command = 'ADD') =>
    runSkel(plugin, {
      env: {
        CNI_COMMAND: command,
        CNI_CONTAINERID: 'c1',
        CNI_NETNS: '/var/run/netns/p',
        CNI_IFNAME: 'net1',
        CNI_PATH: '/opt/cni/bin',
      },
      readStdin: async () =>
        JSON.stringify({ cniVersion: '0.3.1', name: 'vlan100', type: 'ifacer', ...conf }),
    });
  return { nl, warnings, run };
}

describe('ifacer ADD (spec §4.2)', () => {
  it('creates <iface>.<vlan>, brings parent and vlan up, prints an empty result; idempotent', async () => {
    const { nl, run } = await node();
    const out = await run({ interfaces: ['ens1'], vlanID: 100 });
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ cniVersion: '0.3.1', dns: {} });
    const vlan = await nl.getLink('ens1.100', {});
    expect(vlan).toMatchObject({ kind: 'vlan', adminUp: true });
    expect((await nl.getLink('ens1', {})).adminUp).toBe(true);
    expect((await run({ interfaces: ['ens1'], vlanID: 100 })).exitCode).toBe(0);
    expect((await nl.listLinks({})).filter((l) => l.kind === 'vlan')).toHaveLength(1);
  });

  it('vlanID 0 with one interface does nothing', async () => {
    const { nl, run } = await node();
    expect((await run({ interfaces: ['ens1'] })).exitCode).toBe(0);
    expect((await nl.listLinks({})).map((l) => l.name)).toEqual(['lo', 'ens1', 'ens2']);
  });

  it('refuses a second vlan interface with the same id', async () => {
    const { run } = await node();
    await run({ interfaces: ['ens1'], vlanID: 100 });
    const out = await run({ interfaces: ['ens2'], vlanID: 100 });
    expect(JSON.parse(out.stdout)).toMatchObject({
      code: 7,
      msg: expect.stringContaining('same vlanId 100'),
    });
  });

  it('creates a bond with parsed options, enslaves the interfaces, then the vlan on the bond', async () => {
    const { nl, run, warnings } = await node();
    const out = await run({
      interfaces: ['ens1', 'ens2'],
      vlanID: 200,
      bond: { name: 'bond0', mode: 1, options: 'garbage;miimon=100;primary=ens1' },
    });
    expect(out.exitCode).toBe(0);
    expect(await nl.getLink('bond0', {})).toMatchObject({ kind: 'bond', adminUp: true });
    for (const s of ['ens1', 'ens2'])
      expect(await nl.getLink(s, {})).toMatchObject({ master: 'bond0', adminUp: true });
    expect(await nl.getLink('bond0.200', {})).toMatchObject({ kind: 'vlan', adminUp: true });
    expect(warnings).toEqual([expect.stringContaining('"garbage" is not key=value')]);
    expect(
      (await run({ interfaces: ['ens1', 'ens2'], vlanID: 200, bond: { name: 'bond0', mode: 1 } })).exitCode,
    ).toBe(0);
  });

  it('rejects a non-bond link with the bond name', async () => {
    const { nl, run } = await node();
    await nl.createLink({ kind: 'dummy', name: 'sp_bond0' }, {});
    const out = await run({ interfaces: ['ens1', 'ens2'], bond: {} });
    expect(JSON.parse(out.stdout)).toMatchObject({
      code: 7,
      msg: expect.stringContaining('non-bond type interface named sp_bond0'),
    });
  });

  it('warns and does nothing for several interfaces without a bond (D9)', async () => {
    const { nl, run, warnings } = await node();
    expect((await run({ interfaces: ['ens1', 'ens2'], vlanID: 5 })).exitCode).toBe(0);
    expect(await nl.findLink('ens1.5', {})).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('no bond configured')]);
  });

  it.each([
    [{ interfaces: [] }, 'interfaces have at least one interface'],
    [{ interfaces: ['ens1'], vlanID: 4095 }, 'vlan tag must be in range [0,4094]'],
    [{ interfaces: ['ens1', 'ens2'], bond: { mode: 7 } }, 'unknown bond mode: 7'],
  ])('rejects %j', async (conf, msg) => {
    const out = await (await node()).run(conf);
    expect(JSON.parse(out.stdout)).toMatchObject({ code: 7, msg: expect.stringContaining(msg) });
  });

  it('DEL is a no-op success', async () => {
    const { run } = await node();
    expect(await run({ interfaces: ['ens1'], vlanID: 100 }, 'DEL')).toEqual({
      stdout: '',
      stderr: '',
      exitCode: 0,
    });
  });
});

describe('bond options parser', () => {
  it('parses ints (>0 only), IP lists, MACs and strings; skips the malformed anywhere', () => {
    expect(
      parseBondOptions(
        '=x;miimon=100;downdelay=0;arp_ip_target=["10.0.0.1","10.0.0.2"];ad_actor_system=AA:BB:CC:DD:EE:FF;xmit_hash_policy=layer3+4;up_delay=200;bogus=1;a=b=c',
      ),
    ).toEqual({
      options: {
        miimon: 100,
        arp_ip_target: ['10.0.0.1', '10.0.0.2'],
        ad_actor_system: 'aa:bb:cc:dd:ee:ff',
        xmit_hash_policy: 'layer3+4',
        updelay: 200,
      },
      warnings: [
        expect.stringContaining('"=x"'),
        expect.stringContaining('unknown bond option bogus'),
        expect.stringContaining('"a=b=c"'),
      ],
    });
  });
});
