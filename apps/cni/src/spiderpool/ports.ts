// Ports the spiderpool commands run against.
import type { Logger } from 'pino';
import type { AgentClient } from '../agent-client/agent-client.port.js';

export interface SpiderpoolPorts {
  agent: AgentClient;
  logger: Logger;
}
