// Multi-call registry: one executable, the plugin chosen by the name it was invoked as
// (`spiderpool`, `coordinator`, `ifacer`).
import { randomBytes } from 'node:crypto';
import { ArpingNdiscNeighbourProbe, ExecFileRunner, Iproute2Netlink } from '@spiderpool/netlink';
import { DEFAULT_AGENT_SOCKET_PATH } from '@spiderpool/agent-api';
import { createCoordinatorPlugin } from './coordinator/coordinator.plugin.js';
import { IptablesPacketMark } from './coordinator/iptables.packet-mark.js';
import { createIfacerPlugin } from './ifacer/ifacer.plugin.js';
import { openFileLogger } from './logging/file-logger.js';
import { HttpAgentClient } from './agent-client/http-agent-client.js';
import type { CniPlugin } from './skel/plugin.port.js';
import { resolveAgentSocket } from './spiderpool/agent-socket.js';
import { createSpiderpoolPlugin } from './spiderpool/spiderpool.plugin.js';

export const DEFAULT_PLUGIN = 'spiderpool';

export interface PluginOptions {
  /** Agent socket from the invocation's env (`SPIDERPOOL_AGENT_SOCKET`); wins over the netconf key. */
  agentSocket?: string | undefined;
}

export function createPlugins(
  version: string,
  options: PluginOptions = {},
): Record<string, () => CniPlugin<unknown, unknown>> {
  return {
    spiderpool: () =>
      createSpiderpoolPlugin({
        version,
        openLogger: (conf) =>
          openFileLogger({
            name: 'spiderpool',
            path: conf.logFilePath,
            level: conf.logLevel,
            maxSizeMB: conf.logMaxSizeMB,
            maxAgeDays: conf.logMaxAgeDays,
            maxBackups: conf.logMaxBackups,
          }),
        createAgentClient: (conf) =>
          new HttpAgentClient({ socketPath: resolveAgentSocket(options.agentSocket, conf.socketPath) }),
        netlink: () => new Iproute2Netlink(),
        neighbourProbe: () => new ArpingNdiscNeighbourProbe(),
      }) as unknown as CniPlugin<unknown, unknown>,
    coordinator: () =>
      createCoordinatorPlugin({
        openLogger: (conf) =>
          openFileLogger({
            name: 'coordinator',
            path: conf.log.file,
            level: conf.log.level,
            maxSizeMB: conf.log.maxSizeMB,
            maxAgeDays: conf.log.maxAgeDays,
            maxBackups: conf.log.maxBackups,
          }),
        createAgentClient: (conf) =>
          new HttpAgentClient({
            socketPath: resolveAgentSocket(options.agentSocket, conf.socketPath ?? DEFAULT_AGENT_SOCKET_PATH),
          }),
        netlink: () => new Iproute2Netlink(),
        packetMark: () => new IptablesPacketMark(new ExecFileRunner()),
        randomBytes: (n) => randomBytes(n),
      }) as unknown as CniPlugin<unknown, unknown>,
    ifacer: () =>
      createIfacerPlugin({ netlink: () => new Iproute2Netlink() }) as unknown as CniPlugin<unknown, unknown>,
  };
}

/** Which plugin an invocation means: the executable's basename, else the script's, else the default. */
export function selectPlugin(names: readonly string[], argv0: string, script: string | undefined): string {
  const base = (p: string) => (p.split('/').pop() ?? '').replace(/\.(c|m)?js$/, '');
  for (const candidate of [base(argv0), script ? base(script) : '']) {
    if (names.includes(candidate)) return candidate;
  }
  return DEFAULT_PLUGIN;
}
