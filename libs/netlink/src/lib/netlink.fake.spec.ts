import { FakeNetlink } from './netlink.fake.js';
import { describeNetlinkContract } from './netlink.contract.js';
import { CURRENT_NETNS } from './netlink.port.js';

describeNetlinkContract('FakeNetlink', () => new FakeNetlink());

describe('FakeNetlink extras', () => {
  it('starts the current namespace with an up loopback carrying 127.0.0.1/8 and ::1', async () => {
    const nl = new FakeNetlink();
    expect((await nl.getLink('lo', CURRENT_NETNS)).adminUp).toBe(true);
    expect((await nl.listAddresses({ dev: 'lo' }, CURRENT_NETNS)).map((a) => [a.cidr, a.scope])).toEqual([
      ['127.0.0.1/8', 'host'],
      ['::1/128', 'host'],
    ]);
  });

  it('accepts arbitrary namespace paths such as /proc/<pid>/ns/net', async () => {
    const nl = new FakeNetlink();
    const pod = { netns: nl.addNetns('/proc/4242/ns/net') };
    expect(await nl.netnsPathExists('/proc/4242/ns/net')).toBe(true);
    await nl.createVethPair({ name: 'vethabc', peer: { name: 'veth0', netns: pod.netns } }, CURRENT_NETNS);
    await nl.createLink({ kind: 'dummy', name: 'eth9' }, CURRENT_NETNS);
    await nl.moveLinkToNetns('eth9', '/proc/4242/ns/net', CURRENT_NETNS);
    expect((await nl.listLinks(pod)).map((l) => l.name)).toEqual(['lo', 'veth0', 'eth9']);
    expect(await nl.findLink('eth9', CURRENT_NETNS)).toBeUndefined();
  });
});
