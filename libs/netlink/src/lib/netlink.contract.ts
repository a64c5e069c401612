/**
 * The behaviour every `NetlinkPort` must show. Run by `netlink.fake.spec.ts` (unit tier, against the fake)
 * and `iproute2.netlink.node.spec.ts` (node tier, against a real kernel), so the fake cannot drift.
 * Every test works only inside namespaces it creates (`sptest-*`) and removes them afterwards.
 */
import { randomBytes } from 'node:crypto';
import {
  AlreadyExistsError,
  GatewayUnreachableError,
  InvalidArgumentError,
  LinkDownError,
  LinkNotFoundError,
  NetnsNotFoundError,
  NotFoundError,
} from './errors.js';
import { MAIN_TABLE } from './netlink.port.js';
import type { NetlinkPort, NetnsTarget } from './netlink.port.js';

export interface ContractOptions {
  /** When set, the suite is skipped and this one-line reason is printed. */
  readonly skipReason?: string | undefined;
}

export function describeNetlinkContract(
  label: string,
  makePort: () => NetlinkPort,
  options: ContractOptions = {},
): void {
  if (options.skipReason !== undefined) {
    describe.skip(`NetlinkPort contract: ${label} (skipped: ${options.skipReason})`, () => {
      it('is skipped', () => undefined);
    });
    return;
  }

  describe(`NetlinkPort contract: ${label}`, () => {
    let nl: NetlinkPort;
    let created: string[] = [];
    let A: NetnsTarget;
    let B: NetnsTarget;

    const netnsName = (): string => `sptest-${randomBytes(4).toString('hex')}`;
    const newNetns = async (): Promise<string> => {
      const path = await nl.createNetns(netnsName());
      created.push(path);
      return path;
    };

    beforeEach(async () => {
      nl = makePort();
      created = [];
      A = { netns: await newNetns() };
      B = { netns: await newNetns() };
    });

    afterEach(async () => {
      for (const path of created) {
        if (await nl.netnsPathExists(path)) await nl.deleteNetns(path);
      }
    });

    /** veth `a0` in A (up, 10.10.0.1/24, 2001:db8:a::1/64) ↔ `b0` in B (up, 10.10.0.2/24). */
    const wire = async (): Promise<void> => {
      await nl.createVethPair({ name: 'a0', peer: { name: 'b0', netns: B.netns } }, A);
      await nl.setLinkUp('a0', A);
      await nl.setLinkUp('b0', B);
      await nl.addAddress({ dev: 'a0', cidr: '10.10.0.1/24' }, A);
      await nl.addAddress({ dev: 'a0', cidr: '2001:db8:a::1/64', noDad: true }, A);
      await nl.addAddress({ dev: 'b0', cidr: '10.10.0.2/24' }, B);
    };

    describe('namespaces', () => {
      it('creates an empty namespace with a down loopback and deletes it', async () => {
        const path = await newNetns();
        expect(path).toMatch(/^\/var\/run\/netns\/sptest-/);
        expect(await nl.netnsPathExists(path)).toBe(true);
        const links = await nl.listLinks({ netns: path });
        expect(links.map((l) => l.name)).toEqual(['lo']);
        expect(links[0]?.adminUp).toBe(false);
        await nl.deleteNetns(path);
        expect(await nl.netnsPathExists(path)).toBe(false);
        await expect(nl.deleteNetns(path)).rejects.toBeInstanceOf(NetnsNotFoundError);
      });

      it('refuses a duplicate name and reports operations on a missing namespace as NetnsNotFoundError', async () => {
        const name = netnsName();
        created.push(await nl.createNetns(name));
        await expect(nl.createNetns(name)).rejects.toBeInstanceOf(AlreadyExistsError);
        const gone: NetnsTarget = { netns: '/var/run/netns/sptest-does-not-exist' };
        await expect(nl.listLinks(gone)).rejects.toMatchObject({ code: 'NETNS_NOT_FOUND' });
        await expect(nl.readSysctl('net.ipv4.ip_forward', gone)).rejects.toBeInstanceOf(NetnsNotFoundError);
      });

      it('ships the default policy rules in a new namespace', async () => {
        const rules = await nl.listRules({}, A);
        expect(rules.filter((r) => r.family === 4).map((r) => [r.priority, r.table])).toEqual([
          [0, 255],
          [32766, 254],
          [32767, 253],
        ]);
        expect(rules.filter((r) => r.family === 6).map((r) => [r.priority, r.table])).toEqual([
          [0, 255],
          [32766, 254],
        ]);
      });
    });

    describe('links', () => {
      it('creates a veth pair across namespaces with the requested MTU and MACs', async () => {
        const a = await nl.createVethPair(
          {
            name: 'a0',
            mtu: 1400,
            mac: '02:00:00:00:aa:01',
            peer: { name: 'b0', mac: '02:00:00:00:bb:01', netns: B.netns },
          },
          A,
        );
        const b = await nl.getLink('b0', B);
        expect(a).toMatchObject({
          name: 'a0',
          kind: 'veth',
          mtu: 1400,
          mac: '02:00:00:00:aa:01',
          adminUp: false,
        });
        expect(b).toMatchObject({ name: 'b0', kind: 'veth', mac: '02:00:00:00:bb:01' });
        expect(a.peerIndex).toBe(b.index);
        expect(b.peerIndex).toBe(a.index);
        expect(await nl.findLink('b0', A)).toBeUndefined();
      });

      it('reports duplicates, missing links and kind clashes with typed errors', async () => {
        await nl.createVethPair({ name: 'a0', peer: { name: 'a1' } }, A);
        await expect(nl.createVethPair({ name: 'a0', peer: { name: 'a2' } }, A)).rejects.toBeInstanceOf(
          AlreadyExistsError,
        );
        await expect(nl.getLink('nope0', A)).rejects.toBeInstanceOf(LinkNotFoundError);
        await expect(nl.getLink('nope0', A)).rejects.toMatchObject({ code: 'LINK_NOT_FOUND' });
        await expect(nl.deleteLink('nope0', A)).rejects.toBeInstanceOf(LinkNotFoundError);
        await expect(nl.setLinkUp('nope0', A)).rejects.toBeInstanceOf(LinkNotFoundError);
        const again = await nl.ensureLink({ kind: 'veth', name: 'a0', peer: { name: 'a3' } }, A);
        expect(again.kind).toBe('veth');
        expect(await nl.findLink('a3', A)).toBeUndefined();
        await expect(nl.ensureLink({ kind: 'bridge', name: 'a0' }, A)).rejects.toBeInstanceOf(
          AlreadyExistsError,
        );
        await expect(nl.createBridge({ name: 'bad/name' }, A)).rejects.toBeInstanceOf(InvalidArgumentError);
      });

      it('sets up/down, MTU, MAC and txqueuelen, and reports carrier through the flags', async () => {
        await nl.createVethPair({ name: 'a0', peer: { name: 'b0', netns: B.netns } }, A);
        await nl.setLinkUp('a0', A);
        let a = await nl.getLink('a0', A);
        expect(a.adminUp).toBe(true);
        expect(a.flags).toEqual(expect.arrayContaining(['UP', 'BROADCAST', 'MULTICAST', 'NO-CARRIER']));
        await nl.setLinkUp('b0', B);
        a = await nl.getLink('a0', A);
        expect(a.flags).toContain('LOWER_UP');
        expect(a.operState).toBe('UP');
        await nl.setMtu('a0', 1280, A);
        await nl.setHardwareAddr('a0', '0A:1B:AC:12:28:17', A);
        await nl.setTxQueueLen('a0', 2000, A);
        await nl.setLinkDown('a0', A);
        a = await nl.getLink('a0', A);
        expect(a).toMatchObject({ adminUp: false, mtu: 1280, mac: '0a:1b:ac:12:28:17', txQueueLen: 2000 });
      });

      it('enslaves a link to a bridge and releases it', async () => {
        await nl.createBridge({ name: 'br0' }, A);
        await nl.createVethPair({ name: 'a0', peer: { name: 'a1' } }, A);
        await nl.setLinkMaster('a0', 'br0', A);
        expect((await nl.getLink('a0', A)).master).toBe('br0');
        expect((await nl.getLink('br0', A)).kind).toBe('bridge');
        await nl.setLinkMaster('a0', undefined, A);
        expect((await nl.getLink('a0', A)).master).toBeUndefined();
        await expect(nl.setLinkMaster('a0', 'nobr', A)).rejects.toBeInstanceOf(LinkNotFoundError);
      });

      it('moves a veth end into another namespace, which arrives down and without addresses', async () => {
        await nl.createVethPair({ name: 'a0', peer: { name: 'a1' } }, A);
        await nl.setLinkUp('a1', A);
        await nl.addAddress({ dev: 'a1', cidr: '10.20.0.1/24' }, A);
        await nl.moveLinkToNetns('a1', B.netns ?? '', A);
        expect(await nl.findLink('a1', A)).toBeUndefined();
        const moved = await nl.getLink('a1', B);
        expect(moved.adminUp).toBe(false);
        expect(await nl.listAddresses({ dev: 'a1', family: 4 }, B)).toEqual([]);
        expect((await nl.getLink('a0', A)).peerIndex).toBe(moved.index);
        await expect(nl.moveLinkToNetns('a0', '/var/run/netns/sptest-missing', A)).rejects.toBeInstanceOf(
          NetnsNotFoundError,
        );
      });

      it('deletes both ends of a veth pair', async () => {
        await nl.createVethPair({ name: 'a0', peer: { name: 'b0', netns: B.netns } }, A);
        await nl.deleteLink('a0', A);
        expect(await nl.findLink('a0', A)).toBeUndefined();
        expect(await nl.findLink('b0', B)).toBeUndefined();
      });

      it('drops the veths of a deleted namespace, peers included', async () => {
        const C = { netns: await newNetns() };
        await nl.createVethPair({ name: 'a0', peer: { name: 'c0', netns: C.netns } }, A);
        await nl.deleteNetns(C.netns);
        // the kernel tears the namespace down asynchronously
        for (let i = 0; i < 100 && (await nl.findLink('a0', A)); i++)
          await new Promise((r) => setTimeout(r, 20));
        expect(await nl.findLink('a0', A)).toBeUndefined();
      });
    });

    describe('addresses', () => {
      it('adds, lists, replaces and deletes IPv4 and IPv6 addresses', async () => {
        await wire();
        const global = (await nl.listAddresses({ dev: 'a0' }, A)).filter((a) => a.scope === 'global');
        expect(global).toEqual(
          expect.arrayContaining([
            { dev: 'a0', family: 4, ip: '10.10.0.1', prefixLen: 24, cidr: '10.10.0.1/24', scope: 'global' },
            {
              dev: 'a0',
              family: 6,
              ip: '2001:db8:a::1',
              prefixLen: 64,
              cidr: '2001:db8:a::1/64',
              scope: 'global',
            },
          ]),
        );
        expect(global).toHaveLength(2);
        expect((await nl.listAddresses({ dev: 'a0', family: 6 }, A)).every((a) => a.family === 6)).toBe(true);
        await expect(nl.addAddress({ dev: 'a0', cidr: '10.10.0.1/24' }, A)).rejects.toBeInstanceOf(
          AlreadyExistsError,
        );
        await expect(
          nl.addAddress({ dev: 'a0', cidr: '2001:DB8:A::1/64', noDad: true }, A),
        ).rejects.toMatchObject({
          code: 'ALREADY_EXISTS',
        });
        await nl.replaceAddress({ dev: 'a0', cidr: '10.10.0.1/24' }, A);
        await nl.deleteAddress({ dev: 'a0', cidr: '10.10.0.1/24' }, A);
        expect((await nl.listAddresses({ dev: 'a0', family: 4 }, A)).map((a) => a.cidr)).toEqual([]);
        await expect(nl.deleteAddress({ dev: 'a0', cidr: '10.10.0.1/24' }, A)).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await expect(nl.addAddress({ dev: 'nope0', cidr: '10.9.9.9/24' }, A)).rejects.toBeInstanceOf(
          LinkNotFoundError,
        );
        await expect(nl.listAddresses({ dev: 'nope0' }, A)).rejects.toBeInstanceOf(LinkNotFoundError);
        await expect(nl.addAddress({ dev: 'a0', cidr: '10.1.2.3/40' }, A)).rejects.toBeInstanceOf(
          InvalidArgumentError,
        );
      });

      it('installs the connected route of an address on an up link and removes it with the address', async () => {
        await wire();
        const connected = (await nl.listRoutes({ family: 4 }, A)).find((r) => r.dst === '10.10.0.0/24');
        expect(connected).toMatchObject({
          dev: 'a0',
          protocol: 'kernel',
          scope: 'link',
          src: '10.10.0.1',
          table: MAIN_TABLE,
        });
        const v6 = (await nl.listRoutes({ family: 6 }, A)).find((r) => r.dst === '2001:db8:a::/64');
        expect(v6).toMatchObject({ dev: 'a0', protocol: 'kernel', metric: 256 });
        await nl.deleteAddress({ dev: 'a0', cidr: '10.10.0.1/24' }, A);
        expect((await nl.listRoutes({ family: 4 }, A)).find((r) => r.dst === '10.10.0.0/24')).toBeUndefined();
      });
    });

    describe('routes', () => {
      it('replaces routes in main and in a numbered table, idempotently', async () => {
        await wire();
        await nl.replaceRoute(
          { dst: '172.16.0.2', dev: 'a0', scope: 'link', src: '10.10.0.1', table: 101 },
          A,
        );
        await nl.replaceRoute(
          { dst: '172.16.0.2/32', dev: 'a0', scope: 'link', src: '10.10.0.1', table: 101 },
          A,
        );
        await nl.replaceRoute({ dst: '10.96.0.0/12', via: '172.16.0.2', dev: 'a0', table: 101 }, A);
        await nl.replaceRoute({ dst: '10.200.0.0/16', via: '10.10.0.2', metric: 10, mtu: 1400 }, A);
        await nl.replaceRoute({ dst: '0.0.0.0/0', via: '10.10.0.2', dev: 'a0' }, A);
        const t101 = await nl.listRoutes({ table: 101 }, A);
        expect(t101).toHaveLength(2);
        expect(t101).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              dst: '172.16.0.2/32',
              dev: 'a0',
              scope: 'link',
              src: '10.10.0.1',
              table: 101,
              via: undefined,
            }),
            expect.objectContaining({
              dst: '10.96.0.0/12',
              via: '172.16.0.2',
              dev: 'a0',
              scope: 'universe',
              table: 101,
            }),
          ]),
        );
        const main = await nl.listRoutes({ family: 4 }, A);
        expect(main).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              dst: '10.200.0.0/16',
              via: '10.10.0.2',
              dev: 'a0',
              metric: 10,
              mtu: 1400,
            }),
            expect.objectContaining({
              dst: '0.0.0.0/0',
              via: '10.10.0.2',
              dev: 'a0',
              metric: 0,
              protocol: 'boot',
            }),
          ]),
        );
        expect(await nl.getRouteTo('10.200.1.1', A)).toMatchObject({
          dev: 'a0',
          via: '10.10.0.2',
          src: '10.10.0.1',
        });
        expect(await nl.listRoutes({ table: 101, dev: 'b0' }, A)).toEqual([]);
      });

      it('adds, rejects duplicates, deletes and reports missing routes', async () => {
        await wire();
        await nl.addRoute({ dst: '10.30.0.0/16', via: '10.10.0.2', table: 500 }, A);
        await expect(
          nl.addRoute({ dst: '10.30.0.0/16', via: '10.10.0.2', table: 500 }, A),
        ).rejects.toBeInstanceOf(AlreadyExistsError);
        await nl.deleteRoute({ dst: '10.30.0.0/16', dev: 'a0', table: 500 }, A);
        expect(await nl.listRoutes({ table: 500 }, A)).toEqual([]);
        await expect(
          nl.deleteRoute({ dst: '10.30.0.0/16', dev: 'a0', table: 500 }, A),
        ).rejects.toBeInstanceOf(NotFoundError);
        await expect(
          nl.replaceRoute({ dst: '10.31.0.0/16', via: '192.0.2.1', dev: 'a0' }, A),
        ).rejects.toBeInstanceOf(GatewayUnreachableError);
        await nl.createVethPair({ name: 'd0', peer: { name: 'd1' } }, A);
        await expect(nl.replaceRoute({ dst: '10.32.0.0/16', dev: 'd0' }, A)).rejects.toBeInstanceOf(
          LinkDownError,
        );
        await expect(nl.replaceRoute({ dst: '10.33.0.0/16', dev: 'nope0' }, A)).rejects.toBeInstanceOf(
          LinkNotFoundError,
        );
        await expect(nl.replaceRoute({ dst: '10.34.0.1/16', dev: 'a0' }, A)).rejects.toBeInstanceOf(
          InvalidArgumentError,
        );
      });

      it('handles IPv6 routes (default metric 1024) and batches of replaces', async () => {
        await wire();
        await nl.replaceRoutes(
          [
            { dst: '2001:db8:b::/64', via: '2001:db8:a::2', dev: 'a0', table: 102 },
            { dst: '::/0', via: '2001:db8:a::2', dev: 'a0', table: 102 },
            { dst: '10.40.0.0/16', via: '10.10.0.2', table: 102 },
          ],
          A,
        );
        const t102 = await nl.listRoutes({ table: 102 }, A);
        expect(t102.map((r) => [r.family, r.dst, r.via, r.metric])).toEqual(
          expect.arrayContaining([
            [6, '2001:db8:b::/64', '2001:db8:a::2', 1024],
            [6, '::/0', '2001:db8:a::2', 1024],
            [4, '10.40.0.0/16', '10.10.0.2', 0],
          ]),
        );
        expect(t102).toHaveLength(3);
        expect(await nl.listRoutes({ table: 102, family: 6 }, A)).toHaveLength(2);
      });

      it('drops the routes of a link that goes down', async () => {
        await wire();
        await nl.replaceRoute({ dst: '10.50.0.0/16', via: '10.10.0.2', table: 103 }, A);
        await nl.setLinkDown('a0', A);
        expect(await nl.listRoutes({ table: 103, family: 4 }, A)).toEqual([]);
      });
    });

    describe('rules', () => {
      it('adds, lists and deletes policy rules per family', async () => {
        await nl.addRule({ from: '10.10.0.1', table: 101, priority: 999 }, A);
        await nl.addRule({ fwmark: 1, table: 100, priority: 1000 }, A);
        await nl.addRule({ family: 6, table: 500, priority: 1000 }, A);
        await nl.addRule({ to: '10.60.0.0/16', table: 7, priority: 50 }, A);
        const v4 = await nl.listRules({ family: 4 }, A);
        expect(v4).toEqual(
          expect.arrayContaining([
            {
              family: 4,
              priority: 999,
              table: 101,
              from: '10.10.0.1/32',
              to: undefined,
              fwmark: undefined,
              fwmask: undefined,
            },
            {
              family: 4,
              priority: 1000,
              table: 100,
              from: undefined,
              to: undefined,
              fwmark: 1,
              fwmask: undefined,
            },
            {
              family: 4,
              priority: 50,
              table: 7,
              from: undefined,
              to: '10.60.0.0/16',
              fwmark: undefined,
              fwmask: undefined,
            },
          ]),
        );
        expect(v4.some((r) => r.table === 500)).toBe(false);
        expect((await nl.listRules({ family: 6 }, A)).find((r) => r.table === 500)).toMatchObject({
          priority: 1000,
          from: undefined,
        });
        await expect(
          nl.addRule({ from: '10.10.0.1/32', table: 101, priority: 999 }, A),
        ).rejects.toBeInstanceOf(AlreadyExistsError);
        await nl.deleteRule({ from: '10.10.0.1', table: 101 }, A);
        expect((await nl.listRules({ family: 4 }, A)).some((r) => r.table === 101)).toBe(false);
        await expect(nl.deleteRule({ from: '10.10.0.1', table: 101 }, A)).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await expect(nl.deleteRule({ to: '10.99.0.1/32', table: 500 }, A)).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
      });

      it('lets the kernel pick a priority just below the first non-zero one', async () => {
        await nl.addRule({ table: 500, priority: 1000 }, A);
        await nl.addRule({ from: '10.10.0.5', table: 101 }, A);
        await nl.addRule({ from: '10.10.0.6', table: 101 }, A);
        const rules = await nl.listRules({ family: 4 }, A);
        expect(rules.find((r) => r.from === '10.10.0.5/32')?.priority).toBe(999);
        expect(rules.find((r) => r.from === '10.10.0.6/32')?.priority).toBe(998);
      });
    });

    describe('neighbours', () => {
      it('adds, replaces and deletes permanent IPv4 and IPv6 entries', async () => {
        await wire();
        await nl.addNeighbour({ dev: 'a0', ip: '10.10.0.9', lladdr: '02:00:00:00:00:09' }, A);
        await nl.addNeighbour(
          { dev: 'a0', ip: '2001:db8:a::9', lladdr: '02:00:00:00:00:09', state: 'permanent' },
          A,
        );
        const mine = (await nl.listNeighbours({ dev: 'a0' }, A)).filter((n) => n.ip.endsWith('9'));
        expect(mine).toEqual(
          expect.arrayContaining([
            { dev: 'a0', family: 4, ip: '10.10.0.9', lladdr: '02:00:00:00:00:09', state: ['permanent'] },
            { dev: 'a0', family: 6, ip: '2001:db8:a::9', lladdr: '02:00:00:00:00:09', state: ['permanent'] },
          ]),
        );
        await expect(
          nl.addNeighbour({ dev: 'a0', ip: '10.10.0.9', lladdr: '02:00:00:00:00:09' }, A),
        ).rejects.toBeInstanceOf(AlreadyExistsError);
        await nl.replaceNeighbour({ dev: 'a0', ip: '10.10.0.9', lladdr: '02:00:00:00:00:0a' }, A);
        expect((await nl.listNeighbours({ family: 4 }, A)).find((n) => n.ip === '10.10.0.9')?.lladdr).toBe(
          '02:00:00:00:00:0a',
        );
        await nl.deleteNeighbour({ dev: 'a0', ip: '10.10.0.9' }, A);
        expect((await nl.listNeighbours({ family: 4 }, A)).find((n) => n.ip === '10.10.0.9')).toBeUndefined();
        await expect(nl.deleteNeighbour({ dev: 'a0', ip: '10.10.0.9' }, A)).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await expect(
          nl.addNeighbour({ dev: 'nope0', ip: '10.10.0.9', lladdr: '02:00:00:00:00:09' }, A),
        ).rejects.toBeInstanceOf(LinkNotFoundError);
      });
    });

    describe('sysctls', () => {
      it('writes and reads namespace-wide and per-link knobs, separately per namespace', async () => {
        await wire();
        await nl.writeSysctl('net.ipv4.conf.all.rp_filter', 2, A);
        expect(await nl.readSysctl('net.ipv4.conf.all.rp_filter', A)).toBe('2');
        expect(await nl.readSysctl('net/ipv4/conf/all/rp_filter', B)).toBe('0');
        await nl.writeSysctl('net/ipv6/conf/a0/accept_ra', '0', A);
        expect(await nl.readSysctl('net.ipv6.conf.a0.accept_ra', A)).toBe('0');
        await nl.writeSysctl('net.ipv6.conf.all.disable_ipv6', 0, A);
        expect(await nl.readSysctl('net.ipv6.conf.all.disable_ipv6', A)).toBe('0');
      });

      it('reports unknown keys as NotFoundError and malformed keys as InvalidArgumentError', async () => {
        await expect(nl.readSysctl('net.ipv4.conf.nope0.rp_filter', A)).rejects.toMatchObject({
          code: 'NOT_FOUND',
          kind: 'sysctl',
        });
        await expect(nl.writeSysctl('net.ipv4.conf.nope0.rp_filter', 1, A)).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await expect(nl.readSysctl('net/../../etc/passwd', A)).rejects.toBeInstanceOf(InvalidArgumentError);
      });

      it('enables kernel announcements (arp_notify, ndisc_notify) on a link', async () => {
        await wire();
        await nl.enableAnnouncements('a0', A);
        expect(await nl.readSysctl('net.ipv4.conf.a0.arp_notify', A)).toBe('1');
        expect(await nl.readSysctl('net.ipv6.conf.a0.ndisc_notify', A)).toBe('1');
        await expect(nl.enableAnnouncements('nope0', A)).rejects.toBeInstanceOf(LinkNotFoundError);
      });
    });
  });
}
