// Effective coordinator settings: netconf value if present, else the agent's SpiderCoordinator view,
// else the built-in default (spec §3.1). Validation happens here, once, with typed errors.
import type { CoordinatorConfig as AgentCoordinatorConfig } from '@spiderpool/agent-api';
import { CoordinatorConfigError } from './coordinator.errors.js';
import { canonicalIp, ipFamily, networkOf, parseCidr, type Family } from './ip-address.js';
import type { CoordinatorNetconf } from './netconf.schema.js';

export type CoordinatorMode = 'auto' | 'underlay' | 'overlay' | 'disabled';

export interface PolicyRoute {
  readonly family: Family;
  /** Network prefix (host bits cleared). */
  readonly dst: string;
  readonly gw: string;
}

export interface ResolvedCoordinatorConfig {
  readonly mode: CoordinatorMode;
  readonly podDefaultCniNic: string;
  readonly tunePodRoutes: boolean;
  readonly podDefaultRouteNic: string;
  readonly podMACPrefix: string;
  /** overlayPodCIDR ++ serviceCIDR ++ hijackCIDR as network prefixes, in that order. */
  readonly hijack: readonly string[];
  readonly policyRoutes: readonly PolicyRoute[];
  readonly hostRuleTable: number;
  /** Negative = leave untouched. */
  readonly podRPFilter: number;
  readonly txQueueLen: number;
  readonly vethLinkAddress: string;
  readonly vethMTU: number;
}

export const DEFAULT_POD_CNI_NIC = 'eth0';
export const DEFAULT_HOST_RULE_TABLE = 500;
export const DEFAULT_VETH_MTU = 1500;

export function parseMode(mode: string): CoordinatorMode {
  switch (mode) {
    case 'auto':
    case 'underlay':
    case 'overlay':
      return mode;
    case 'disable': // the plugin's spelling upstream
    case 'disabled': // the CRD enum's spelling (D3)
      return 'disabled';
    default:
      throw new CoordinatorConfigError(`unknown tuneMode: ${mode}`);
  }
}

/** D7: two hex octets `xx:xx` whose first octet is unicast (even). */
export function validateMacPrefix(prefix: string): string {
  const m = /^([0-9a-fA-F]{2}):([0-9a-fA-F]{2})$/.exec(prefix);
  if (!m || (parseInt(m[1] ?? '1', 16) & 1) === 1) {
    throw new CoordinatorConfigError(
      `podMACPrefix ${JSON.stringify(prefix)} is invalid: want two hex octets "xx:xx" with a unicast (even) first octet`,
    );
  }
  return prefix.toLowerCase();
}

function cidrs(field: string, list: readonly string[]): string[] {
  return list.map((text) => {
    const c = text.includes('/') ? parseCidr(text) : undefined;
    if (!c) throw new CoordinatorConfigError(`invalid ${field} ${JSON.stringify(text)}: not a CIDR`);
    return networkOf(c);
  });
}

function policyRoutes(list: readonly { dst?: string; gw?: string }[]): PolicyRoute[] {
  return list.map((r) => {
    const dstText = (r.dst ?? '').trim();
    const gwText = (r.gw ?? '').trim();
    const dst = parseCidr(dstText);
    if (!dst) throw new CoordinatorConfigError(`invalid route dst ${JSON.stringify(dstText)}`);
    const gwFamily = ipFamily(gwText);
    if (gwFamily === undefined)
      throw new CoordinatorConfigError(`invalid route gw ${JSON.stringify(gwText)}`);
    if (gwFamily !== dst.family)
      throw new CoordinatorConfigError(`route dst ${dstText} and gw ${gwText} must use the same IP family`);
    return { family: dst.family, dst: networkOf(dst), gw: canonicalIp(gwText) ?? gwText };
  });
}

const nonEmpty = <T>(v: readonly T[] | null | undefined): readonly T[] | undefined =>
  v && v.length > 0 ? v : undefined;

/**
 * Merge the netconf with the agent's answer. `agent` is undefined only on DEL when the agent could
 * not be asked (we then fall back to the netconf and defaults).
 */
export function resolveCoordinatorConfig(
  conf: CoordinatorNetconf,
  agent: AgentCoordinatorConfig | undefined,
): ResolvedCoordinatorConfig {
  const mode = parseMode(conf.mode ?? (agent?.mode || 'auto'));
  const prefix = conf.podMACPrefix ?? agent?.podMACPrefix ?? '';
  const rp = conf.podRPFilter ?? agent?.podRPFilter ?? 0;
  if (rp > 2)
    throw new CoordinatorConfigError(`invalid rp_filter value ${rp}, available options: [-1,0,1,2]`);
  if (conf.vethMTU !== undefined && conf.vethMTU <= 0)
    throw new CoordinatorConfigError('vethMTU must be greater than 0');
  const vethLinkAddress = conf.vethLinkAddress ?? agent?.vethLinkAddress ?? '';
  if (vethLinkAddress !== '' && ipFamily(vethLinkAddress) !== 4)
    throw new CoordinatorConfigError(
      `vethLinkAddress ${JSON.stringify(vethLinkAddress)} must be an IPv4 address`,
    );
  const txQueueLen = conf.txQueueLen ?? agent?.txQueueLen ?? 0;
  if (txQueueLen < 0) throw new CoordinatorConfigError(`txQueueLen must not be negative, got ${txQueueLen}`);
  const hostRuleTable =
    conf.hostRuleTable ??
    (agent?.hostRuleTable && agent.hostRuleTable > 0 ? agent.hostRuleTable : DEFAULT_HOST_RULE_TABLE);
  if (hostRuleTable <= 0 || hostRuleTable === 253 || hostRuleTable === 254 || hostRuleTable === 255)
    throw new CoordinatorConfigError(`hostRuleTable ${hostRuleTable} is not a usable routing table`);
  return {
    mode,
    podDefaultCniNic: conf.podDefaultCniNic ?? DEFAULT_POD_CNI_NIC,
    tunePodRoutes: conf.tunePodRoutes ?? agent?.tunePodRoutes ?? true,
    podDefaultRouteNic: conf.podDefaultRouteNic ?? agent?.podDefaultRouteNIC ?? '',
    podMACPrefix: prefix === '' ? '' : validateMacPrefix(prefix),
    hijack: [
      ...cidrs('overlayPodCIDR', conf.overlayPodCIDR ?? agent?.overlayPodCIDR ?? []),
      ...cidrs('serviceCIDR', conf.serviceCIDR ?? agent?.serviceCIDR ?? []),
      ...cidrs('hijackCIDR', conf.hijackCIDR ?? agent?.hijackCIDR ?? []),
    ],
    policyRoutes: policyRoutes(conf.policyRoutes ?? nonEmpty(agent?.policyRoutes) ?? []),
    hostRuleTable,
    podRPFilter: rp,
    txQueueLen,
    vethLinkAddress,
    vethMTU: conf.vethMTU ?? (agent?.vethMTU && agent.vethMTU > 0 ? agent.vethMTU : DEFAULT_VETH_MTU),
  };
}
