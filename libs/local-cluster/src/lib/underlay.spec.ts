import { pino } from 'pino';
import { FakeHostNetwork } from './host-network.fake.js';
import { runNames } from './run-names.js';
import { Underlay } from './underlay.js';

const zones = [
  { name: 'subnet-6', subnet: '10.6.0.0/16', gateway: '10.6.0.1' },
  { name: 'subnet-7', subnet: '10.7.0.0/16', gateway: '10.7.0.1' },
];
const names = runNames('a1b2c3');
const log = pino({ level: 'silent' });

describe('Underlay', () => {
  it('puts the gateways in the router namespace only, with forwarding only there', async () => {
    const net = new FakeHostNetwork();
    const layout = await new Underlay(net, names, log).ensure(zones);
    expect(layout.zones.map((z) => z.bridge)).toEqual(['lca1b2c3b0', 'lca1b2c3b1']);
    const rootAddresses = [...net.links.values()].filter((l) => l.netns === undefined && l.addresses);
    expect(rootAddresses).toEqual([]);
    expect(net.links.get('lca1b2c3r0')).toMatchObject({
      netns: 'lc-a1b2c3-router',
      addresses: ['10.6.0.1/16'],
    });
    expect(net.links.get('lca1b2c3r1')).toMatchObject({
      netns: 'lc-a1b2c3-router',
      addresses: ['10.7.0.1/16'],
    });
    expect(net.links.get('lca1b2c3u1')).toMatchObject({ netns: undefined, master: 'lca1b2c3b1' });
    expect([...net.forwarding]).toEqual(['lc-a1b2c3-router']);
    expect([...net.forwardingIPv6]).toEqual([]);
  });

  it("puts a zone's extra subnets' gateways (IPv4 and IPv6) on its router link and forwards IPv6 then", async () => {
    const net = new FakeHostNetwork();
    await new Underlay(net, names, log).ensure([
      {
        name: 'ens5',
        subnet: '172.31.16.0/20',
        gateway: '172.31.16.1',
        extraSubnets: [
          { subnet: '172.31.32.0/24', gateway: '172.31.32.1' },
          { subnet: '2406:da1e:c4:ed01::/64', gateway: '2406:da1e:c4:ed01::1' },
        ],
      },
    ]);
    expect(net.links.get('lca1b2c3r0')).toMatchObject({
      netns: 'lc-a1b2c3-router',
      addresses: ['172.31.16.1/20', '172.31.32.1/24', '2406:da1e:c4:ed01::1/64'],
    });
    expect([...net.links.values()].filter((l) => l.netns === undefined && l.addresses)).toEqual([]);
    expect([...net.forwardingIPv6]).toEqual(['lc-a1b2c3-router']);
  });

  it('is idempotent and removes everything on destroy', async () => {
    const net = new FakeHostNetwork();
    const underlay = new Underlay(net, names, log);
    await underlay.ensure(zones);
    const before = [...net.links.keys()].sort();
    await underlay.ensure(zones);
    expect([...net.links.keys()].sort()).toEqual(before);
    await underlay.destroy(zones.length);
    expect(net.links.size).toBe(0);
    expect(net.netns.size).toBe(0);
  });
});
