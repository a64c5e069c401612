// Coordinator DEL (spec §3.4), best-effort and idempotent: remove the host end of the underlay veth
// (which takes its peer, neighbours and table routes with it) and any host-table route or neighbour
// still pointing at the pod's IPs. Errors are collected and reported together after every part ran.
import { CURRENT_NETNS, NetnsNotFoundError, NotFoundError } from '@spiderpool/netlink';
import { errorMessage } from '../errors.js';
import type { CmdArgs } from '../skel/plugin.port.js';
import { fetchCoordinatorConfig } from './agent-config.js';
import { NetworkSetupError } from './coordinator.errors.js';
import { hostPrefix, ipFamily, isLinkLocal } from './ip-address.js';
import type { CoordinatorNetconf } from './netconf.schema.js';
import type { CoordinatorPorts } from './ports.js';
import { hostVethName } from './veth.js';

export async function cmdDel(args: CmdArgs<CoordinatorNetconf>, ports: CoordinatorPorts): Promise<void> {
  const { netlink, logger } = ports;
  const cfg = await fetchCoordinatorConfig(args, ports, { required: false });
  if (cfg.mode === 'disabled') return;
  const host = CURRENT_NETNS;
  const errors: string[] = [];
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      if (e instanceof NotFoundError) return;
      errors.push(`${what}: ${errorMessage(e)}`);
    }
  };

  const hostVeth = hostVethName(args.containerId);
  await attempt(`delete ${hostVeth}`, async () => {
    if (await netlink.findLink(hostVeth, host)) await netlink.deleteLink(hostVeth, host);
  });

  let podIPs: string[] = [];
  if (args.netns !== '') {
    try {
      podIPs = (await netlink.listAddresses({ dev: args.ifName }, { netns: args.netns }))
        .filter((a) => !isLinkLocal(a.ip))
        .map((a) => a.ip);
    } catch (e) {
      if (!(e instanceof NetnsNotFoundError || e instanceof NotFoundError))
        logger.debug({ err: errorMessage(e) }, 'cannot read the pod addresses');
    }
  }
  for (const ip of podIPs) {
    const family = ipFamily(ip) ?? 4;
    const dst = hostPrefix(ip);
    // Overlay mode: the host routes and neighbours sit on the overlay CNI's veth, which outlives us.
    await attempt(`host route ${dst}`, async () => {
      const routes = await netlink.listRoutes({ table: cfg.hostRuleTable, family }, host);
      for (const r of routes.filter((x) => x.dst === dst)) {
        await netlink.deleteRoute({ dst, table: cfg.hostRuleTable, ...(r.dev ? { dev: r.dev } : {}) }, host);
      }
    });
    await attempt(`host neighbour ${ip}`, async () => {
      const neigh = await netlink.listNeighbours({ family }, host);
      for (const n of neigh.filter((x) => x.ip === ip && x.state.includes('permanent'))) {
        await netlink.deleteNeighbour({ dev: n.dev, ip }, host);
      }
    });
    // Legacy cleanup kept from upstream: ADD never creates `to <ip> lookup <hostRuleTable>` (D13).
    await attempt(`legacy rule to ${dst}`, () =>
      netlink.deleteRule({ family, to: dst, table: cfg.hostRuleTable }, host),
    );
  }
  if (errors.length > 0) throw new NetworkSetupError('cmdDel', errors.join('; '));
  logger.info('coordinator DEL done');
}
