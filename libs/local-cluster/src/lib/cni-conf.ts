import type { Zone } from './topology.js';

/** CNI spec version used for every generated network configuration. */
export const CNI_VERSION = '1.0.0';

/** The CNI plugin that attaches pods to a zone: the bridge plugin (always available) or macvlan on the zone bridge. */
export type UnderlayPlugin = 'bridge' | 'macvlan';

/** An IPAM block of a delegate network; swapping host-local for `{ type: 'spiderpool', … }` is only this value. */
export type IpamConfig = Record<string, unknown> & { type: string };

/** host-local over the zone subnet. `dataDir` is shared by every simulated node so allocations are run-unique. */
export function hostLocalIpam(zone: Zone, dataDir: string): IpamConfig {
  const range: Record<string, string> = { subnet: zone.subnet, gateway: zone.gateway };
  if (zone.rangeStart) range['rangeStart'] = zone.rangeStart;
  if (zone.rangeEnd) range['rangeEnd'] = zone.rangeEnd;
  return { type: 'host-local', dataDir, ranges: [[range]], routes: [{ dst: '0.0.0.0/0' }] };
}

/**
 * The underlay network of a zone as a CNI config: the bridge plugin attached to the zone bridge, standing in for a
 * macvlan sub-interface of the node's NIC (no macvlan in this kernel; see docs/adr/0009-simulated-nodes.md).
 * `isGateway`/`ipMasq` stay off: the gateway lives in the router netns and the root namespace gets no address.
 */
export function zoneNetworkConfig(args: {
  name: string;
  bridge: string;
  ipam: IpamConfig;
  /** `macvlan` (where the kernel has it): a macvlan sub-interface of the zone bridge, as the seeds configure it. */
  plugin?: UnderlayPlugin;
}): Record<string, unknown> {
  if (args.plugin === 'macvlan') {
    return {
      cniVersion: CNI_VERSION,
      name: args.name,
      type: 'macvlan',
      master: args.bridge,
      mode: 'bridge',
      ipam: args.ipam,
    };
  }
  return {
    cniVersion: CNI_VERSION,
    name: args.name,
    type: 'bridge',
    bridge: args.bridge,
    isGateway: false,
    isDefaultGateway: false,
    ipMasq: false,
    hairpinMode: false,
    ipam: args.ipam,
  };
}

/** A NetworkAttachmentDefinition carrying a delegate config (what SpiderMultusConfig would generate). */
export function networkAttachmentDefinition(args: {
  name: string;
  namespace: string;
  config: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name: args.name, namespace: args.namespace },
    spec: { config: JSON.stringify({ ...args.config, name: args.name }) },
  };
}

/**
 * A NAD without `spec.config`: Multus then reads the config named like the NAD from its `confDir` — what the
 * upstream chart creates for `multus.multusCNI.defaultCniCRName`. Lets every node keep its own default network.
 */
export function emptyNetworkAttachmentDefinition(args: {
  name: string;
  namespace: string;
}): Record<string, unknown> {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name: args.name, namespace: args.namespace },
  };
}

export interface MultusConfArgs {
  kubeconfig: string;
  /** Name of the default network: a NAD in `multusNamespace`, else a config of that name in `confDir`. */
  clusterNetwork: string;
  /** Where Multus looks up delegate configs by name. */
  confDir: string;
  /** Multus' result cache, used on DEL. */
  cniDir: string;
  binDir: string;
  logFile: string;
  multusNamespace?: string;
}

/** `00-multus.conf` of a simulated node: Multus thin as the entry plugin, as containerd would find it. */
export function multusConf(args: MultusConfArgs): Record<string, unknown> {
  return {
    cniVersion: CNI_VERSION,
    name: 'multus-cni-network',
    type: 'multus',
    kubeconfig: args.kubeconfig,
    clusterNetwork: args.clusterNetwork,
    multusNamespace: args.multusNamespace ?? 'kube-system',
    confDir: args.confDir,
    cniDir: args.cniDir,
    binDir: args.binDir,
    logFile: args.logFile,
    logLevel: 'verbose',
  };
}
