// Ports the coordinator commands run against (all injected; fakes in tests).
import type { NetlinkPort } from '@spiderpool/netlink';
import type { Logger } from 'pino';
import type { AgentClient } from '../agent-client/agent-client.port.js';
import type { PacketMarkPort } from './packet-mark.port.js';

export interface CoordinatorPorts {
  agent: AgentClient;
  netlink: NetlinkPort;
  packetMark: PacketMarkPort;
  logger: Logger;
  /** Source of randomness for the veth MACs. */
  randomBytes(n: number): Uint8Array;
}
