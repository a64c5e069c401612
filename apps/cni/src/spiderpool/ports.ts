// Ports the spiderpool commands run against.
import type { NeighbourProbe, NetlinkPort } from '@spiderpool/netlink';
import type { Logger } from 'pino';
import type { AgentClient } from '../agent-client/agent-client.port.js';

export interface SpiderpoolPorts {
  agent: AgentClient;
  logger: Logger;
  /** Link state in the pod netns (detection sets the interface up). */
  netlink: Pick<NetlinkPort, 'setLinkUp'>;
  /** ARP/NDP probes and announcements in the pod netns. */
  probe: NeighbourProbe;
}
