// Test fixture: a FakeNetlink "node" with a pod whose eth0 came from a bridge main CNI, plus the
// coordinator plugin wired to fakes and driven through the real skel.
import type { CoordinatorConfig } from '@spiderpool/agent-api';
import { FakeNetlink } from '@spiderpool/netlink';
import pino from 'pino';
import { FakeAgentClient } from '../agent-client/agent-client.fake.js';
import { loggerOptions } from '../logging/file-logger.js';
import { runSkel, type SkelOutput } from '../skel/skel.js';
import { createCoordinatorPlugin } from './coordinator.plugin.js';
import { FakePacketMark } from './packet-mark.fake.js';

export const CID = 'c0ffee1234567890';
export const HOST_VETH = 'vethc0ffee12345';
export const POD_IP = '10.6.0.10';
export const BRIDGE_IP = '10.6.0.1';
export const NODE_IP = '192.168.1.2';

export const AGENT_DEFAULTS: CoordinatorConfig = {
  mode: 'auto',
  overlayPodCIDR: [],
  serviceCIDR: ['10.233.0.0/18'],
  hijackCIDR: ['169.254.0.0/16'],
  tunePodRoutes: true,
  podDefaultRouteNIC: '',
  hostRuleTable: 500,
  podRPFilter: 0,
  txQueueLen: 0,
  vethLinkAddress: '',
  vethMTU: 1500,
};

export interface Node {
  nl: FakeNetlink;
  pod: string;
  agent: FakeAgentClient;
  marks: FakePacketMark;
  logs: string[];
  run(
    command: string,
    opts?: {
      ifName?: string;
      conf?: Record<string, unknown>;
      prevResult?: unknown;
      env?: Record<string, string>;
    },
  ): Promise<SkelOutput>;
}

export const PREV_RESULT = {
  cniVersion: '1.0.0',
  interfaces: [{ name: 'eth0', sandbox: '/var/run/netns/pod' }],
  ips: [{ address: `${POD_IP}/24`, gateway: BRIDGE_IP, interface: 0 }],
  routes: [{ dst: '0.0.0.0/0', gw: BRIDGE_IP }],
  dns: {},
};

/** Node with `ens3` (node IP), bridge `br0` and a pod whose eth0 hangs on br0 with a default route. */
export async function makeNode(agentConfig: CoordinatorConfig | undefined = AGENT_DEFAULTS): Promise<Node> {
  const nl = new FakeNetlink();
  const pod = await nl.createNetns('pod');
  const P = { netns: pod };
  await nl.createLink({ kind: 'dummy', name: 'ens3' }, {});
  await nl.addAddress({ dev: 'ens3', cidr: `${NODE_IP}/24` }, {});
  await nl.setLinkUp('ens3', {});
  await nl.createBridge({ name: 'br0' }, {});
  await nl.addAddress({ dev: 'br0', cidr: `${BRIDGE_IP}/24` }, {});
  await nl.setLinkUp('br0', {});
  await nl.createVethPair({ name: 'vethmain0', peer: { name: 'eth0', netns: pod } }, {});
  await nl.setLinkMaster('vethmain0', 'br0', {});
  await nl.setLinkUp('vethmain0', {});
  await nl.setLinkUp('lo', P);
  await nl.addAddress({ dev: 'eth0', cidr: `${POD_IP}/24` }, P);
  await nl.setLinkUp('eth0', P);
  await nl.addRoute({ dst: '0.0.0.0/0', via: BRIDGE_IP, dev: 'eth0' }, P);

  const agent = new FakeAgentClient({ ips: [] }, agentConfig);
  const marks = new FakePacketMark();
  const logs: string[] = [];
  let seed = 1;
  const plugin = createCoordinatorPlugin({
    openLogger: (conf) =>
      pino(loggerOptions('coordinator', conf.log.level), { write: (s: string) => void logs.push(s) }),
    createAgentClient: () => agent,
    netlink: () => nl,
    packetMark: () => marks,
    randomBytes: (n) => Uint8Array.from({ length: n }, () => (seed = (seed * 37 + 11) % 251)),
  });
  return {
    nl,
    pod,
    agent,
    marks,
    logs,
    run: (command, opts = {}) =>
      runSkel(plugin, {
        env: {
          CNI_COMMAND: command,
          CNI_CONTAINERID: CID,
          CNI_NETNS: pod,
          CNI_IFNAME: opts.ifName ?? 'eth0',
          CNI_PATH: '/opt/cni/bin',
          CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_UID=uid-1',
          ...opts.env,
        },
        readStdin: async () =>
          JSON.stringify({
            cniVersion: '1.0.0',
            name: 'macvlan-conf',
            type: 'coordinator',
            ...opts.conf,
            ...(opts.prevResult === null ? {} : { prevResult: opts.prevResult ?? PREV_RESULT }),
          }),
      }),
  };
}

/** Routes of a table as `dst via dev src` strings (compact assertions). */
export async function routeTable(nl: FakeNetlink, table: number, netns?: string): Promise<string[]> {
  return (await nl.listRoutes({ table }, { netns })).map((r) =>
    [r.dst, r.via && `via ${r.via}`, r.dev && `dev ${r.dev}`, r.src && `src ${r.src}`]
      .filter(Boolean)
      .join(' '),
  );
}

export async function ruleList(nl: FakeNetlink, netns?: string): Promise<string[]> {
  return (await nl.listRules({}, { netns }))
    .filter((r) => r.table !== 253 && r.table !== 254 && r.table !== 255)
    .map((r) =>
      [
        `${r.priority}:`,
        r.from ? `from ${r.from}` : 'from all',
        r.fwmark !== undefined && `fwmark 0x${r.fwmark.toString(16)}`,
        `lookup ${r.table}`,
      ]
        .filter(Boolean)
        .join(' '),
    );
}
