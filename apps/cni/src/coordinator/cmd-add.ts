// Coordinator ADD (spec §3.3): fetch the agent's view, resolve the mode, then wire the pod's
// auxiliary path step by step. Every change is journaled; a failure undoes what this ADD did and
// returns the error. On success the prevResult is returned unchanged.
import { CURRENT_NETNS, NetnsNotFoundError, type NetnsTarget } from '@spiderpool/netlink';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import type { CniResult } from '../skel/cni-result.js';
import type { CmdArgs } from '../skel/plugin.port.js';
import type { AddContext, WiredContext } from './add-context.js';
import { fetchCoordinatorConfig } from './agent-config.js';
import { NetworkSetupError, PrevResultMissingError } from './coordinator.errors.js';
import type { ResolvedCoordinatorConfig } from './coordinator-config.js';
import { collectHostIPs } from './host-ips.js';
import { ipFamily, isLinkLocal, isMulticast, type Family } from './ip-address.js';
import { JournaledNetlink } from './journaled-netlink.js';
import { macFromPrefix } from './mac-prefix.js';
import { POD_VETH, resolveMode } from './mode.js';
import { setupNeighbours } from './neighbours.js';
import type { CoordinatorNetconf } from './netconf.schema.js';
import { setupHijackRoutes, setupHostRoutes, setupPolicyRoutes, setupReplyPath } from './pod-routes.js';
import type { CoordinatorPorts } from './ports.js';
import { tunePodRoutes } from './tune-routes.js';
import { UndoJournal } from './undo-journal.js';
import { hostVethName, overlayHostDev, setupVeth } from './veth.js';

/** Usable (non-link-local, non-multicast) IPs of a pod link, v4 first. */
async function usableIPs(ports: CoordinatorPorts, dev: string, pod: NetnsTarget): Promise<string[]> {
  const addrs = await ports.netlink.listAddresses({ dev }, pod);
  return addrs
    .filter((a) => !isLinkLocal(a.ip) && !isMulticast(a.ip))
    .sort((a, b) => a.family - b.family)
    .map((a) => a.ip);
}

export async function cmdAdd(args: CmdArgs<CoordinatorNetconf>, ports: CoordinatorPorts): Promise<CniResult> {
  if (!args.prevResult) throw new PrevResultMissingError();
  const cfg = await fetchCoordinatorConfig(args, ports, { required: true });
  if (cfg.mode === 'disabled') {
    ports.logger.debug('coordinator mode is disabled; nothing to do');
    return args.prevResult;
  }
  const started = Date.now();
  const journal = new UndoJournal();
  try {
    await configurePod(args, ports, cfg, journal);
  } catch (e) {
    const failures = await journal.rollback();
    ports.logger.warn(
      { err: errorMessage(e), undoFailures: failures },
      failures.length ? 'ADD failed; rollback incomplete' : 'ADD failed; rolled back',
    );
    throw e;
  }
  ports.logger.info({ ms: Date.now() - started }, 'coordinator ADD done');
  return args.prevResult;
}

async function configurePod(
  args: CmdArgs<CoordinatorNetconf>,
  ports: CoordinatorPorts,
  cfg: ResolvedCoordinatorConfig,
  journal: UndoJournal,
): Promise<void> {
  const { netlink } = ports;
  const logger: Logger = ports.logger;
  const pod: NetnsTarget = { netns: args.netns };
  const host = CURRENT_NETNS;
  const ifName = args.ifName;

  // 7. families from the addresses the main plugin put on IfName.
  let currentAddresses: string[];
  try {
    currentAddresses = await usableIPs(ports, ifName, pod);
  } catch (e) {
    if (e instanceof NetnsNotFoundError)
      throw new NetworkSetupError('netns', `failed to open ${args.netns}`, { cause: e });
    throw e;
  }
  const families = [...new Set(currentAddresses.map((ip) => ipFamily(ip) as Family))].sort();
  if (families.length === 0)
    throw new NetworkSetupError('addresses', `no usable IP addresses on "${ifName}"`);

  // 8–9. IfName up; mode, first invoke and table T.
  await netlink.setLinkUp(ifName, pod);
  const podLinks = await netlink.listLinks(pod);
  const upLinks = podLinks.filter((l) => ['UP', 'BROADCAST', 'MULTICAST'].every((f) => l.flags.includes(f)));
  const decision = resolveMode({
    mode: cfg.mode as 'auto' | 'underlay' | 'overlay',
    ifName,
    podDefaultCniNic: cfg.podDefaultCniNic,
    hasVeth0: podLinks.some((l) => l.name === POD_VETH),
    upLinkCount: upLinks.length,
  });
  const nl = new JournaledNetlink(netlink, journal);
  const base: AddContext = {
    pod,
    host,
    containerId: args.containerId,
    ifName,
    cfg,
    ports,
    logger,
    nl,
    journal,
    families,
    currentAddresses,
    decision,
  };
  logger.debug(
    { mode: decision.mode, firstInvoke: decision.firstInvoke, table: decision.table, families },
    'mode resolved',
  );

  // 10–11. every pod IP (all NICs) and the node addresses to reach through the host path.
  const allPodIPs: string[] = [];
  for (const l of podLinks) {
    if (l.name === 'lo') continue;
    for (const ip of await usableIPs(ports, l.name, pod))
      if (families.includes(ipFamily(ip) as Family)) allPodIPs.push(ip);
  }
  const hostIPs = await collectHostIPs(netlink, host, allPodIPs, families, logger);

  // 12. devices of the auxiliary path.
  let podDev: string;
  let hostDev: string;
  if (decision.mode === 'underlay') {
    podDev = POD_VETH;
    hostDev = decision.firstInvoke ? await setupVeth(base) : hostVethName(args.containerId);
  } else {
    podDev = cfg.podDefaultCniNic;
    hostDev = await overlayHostDev(base, podDev);
  }

  // 14. MAC from prefix (the kernel announces the new MAC: arp_notify/ndisc_notify).
  if (cfg.podMACPrefix !== '' && currentAddresses[0] !== undefined) {
    const mac = macFromPrefix(cfg.podMACPrefix, currentAddresses[0]);
    const before = (await netlink.getLink(ifName, pod)).mac;
    try {
      await netlink.enableAnnouncements(ifName, pod);
      await netlink.setHardwareAddr(ifName, mac, pod);
    } catch (e) {
      throw new NetworkSetupError(
        'podMACPrefix',
        `failed to update hardware address for interface ${ifName}, maybe hardware_prefix(${cfg.podMACPrefix}) is invalid: ${errorMessage(e)}`,
        { cause: e },
      );
    }
    if (before) journal.record(`mac ${ifName}`, () => netlink.setHardwareAddr(ifName, before, pod));
    logger.info({ mac }, 'pod MAC set from prefix');
  }

  // 15. txQueueLen, in the pod (D5).
  if (cfg.txQueueLen > 0) {
    const before = (await netlink.getLink(ifName, pod)).txQueueLen;
    await netlink.setTxQueueLen(ifName, cfg.txQueueLen, pod);
    if (before !== undefined)
      journal.record(`txqueuelen ${ifName}`, () => netlink.setTxQueueLen(ifName, before, pod));
  }
  // 16–17. sysctls in the pod.
  if (families.includes(6)) await nl.writeSysctl('net.ipv6.conf.all.disable_ipv6', 0, pod);
  if (cfg.podRPFilter >= 0) await nl.writeSysctl('net.ipv4.conf.all.rp_filter', cfg.podRPFilter, pod);

  // 19. source for IPv4 routes: the first IPv4 on the pod's first NIC.
  const firstNicIPs = podLinks.some((l) => l.name === cfg.podDefaultCniNic)
    ? await usableIPs(ports, cfg.podDefaultCniNic, pod)
    : [];
  const wired: WiredContext = {
    ...base,
    podDev,
    hostDev,
    hostIPs,
    podSrcV4: firstNicIPs.find((ip) => ipFamily(ip) === 4),
  };
  logger.debug({ podDev, hostDev, hostIPs }, 'auxiliary path');

  await setupNeighbours(wired); // 18
  await setupHostRoutes(wired); // 20
  await setupHijackRoutes(wired); // 21–22
  if (decision.mode === 'underlay' && decision.firstInvoke) await setupReplyPath(wired); // 23
  if (cfg.tunePodRoutes && (!decision.firstInvoke || decision.mode === 'overlay')) await tunePodRoutes(wired); // 24
  await setupPolicyRoutes(wired); // 25
}
