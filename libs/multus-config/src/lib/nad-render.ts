import {
  ANNOTATION_CNI_CONFIG_NAME,
  ANNOTATION_MULTUS_CNI_VERSION,
  ANNOTATION_MULTUS_CR_NAME,
  ANNOTATION_NAD_RESOURCE_NAME,
  DEFAULT_CNI_VERSION,
  type BondConfig,
  type CoordinatorSpec,
  type SpiderMultusConfig,
  type SpiderpoolPools,
} from '@spiderpool/crd-types';
import { InvalidSpecError } from './errors.js';
import { defaultMultusConfig, fillDefaults } from './smc-defaults.js';

/**
 * SpiderMultusConfig → NetworkAttachmentDefinition content, as a pure function (controller-and-chart.md §1.5).
 * The output is byte-for-byte what upstream's controller writes for the same (webhook-defaulted) SMC, so NADs
 * created by either controller are not rewritten by the other.
 */
export interface RenderedNad {
  namespace: string;
  name: string;
  /** Full desired annotation map (a copy of the SMC's, plus the device-plugin resource annotation). */
  annotations: Record<string, string>;
  /** `spec.config`: compact JSON text ('' only for `custom` with an empty `customCNI`). */
  config: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The NAD name an SMC targets: the custom-name annotation, else the SMC's own name (§1.4 step 2). */
export function nadNameOf(smc: Pick<SpiderMultusConfig, 'metadata'>): string {
  return smc.metadata.annotations?.[ANNOTATION_MULTUS_CR_NAME] ?? smc.metadata.name ?? '';
}

/**
 * Go `encoding/json` text for a value: JSON.stringify plus Go's HTML-safe escaping of `<`, `>`, `&` and the two
 * JS line terminators. Key order is the insertion order of the objects built here.
 */
export function goJson(value: Json): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Generic JSON with object keys sorted at every level (Go's `map[string]interface{}` marshalling). */
function sortKeys(value: unknown): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value as Json;
}

/** Adds `key` when `value` is set (even `0`, `''`, `false`): Go's pointer fields with omitempty. */
function putIfSet(obj: JsonObject, key: string, value: Json | undefined): void {
  if (value !== undefined && value !== null) obj[key] = value;
}

/** Adds `key` unless `value` is a zero value or an empty list: Go's value fields with omitempty. */
function putIfNonEmpty(obj: JsonObject, key: string, value: Json | undefined): void {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  obj[key] = value;
}

function ipamEntry(pools: SpiderpoolPools | undefined, options: { matchMasterSubnet: boolean }): JsonObject {
  const ipam: JsonObject = { type: 'spiderpool' };
  putIfNonEmpty(ipam, 'default_ipv4_ippool', pools?.ipv4 ?? []);
  putIfNonEmpty(ipam, 'default_ipv6_ippool', pools?.ipv6 ?? []);
  if (options.matchMasterSubnet && pools?.matchMasterSubnet) ipam['match_master_subnet'] = true;
  return ipam;
}

function coordinatorEntry(c: Partial<CoordinatorSpec>): JsonObject {
  const entry: JsonObject = {};
  putIfSet(entry, 'txQueueLen', c.txQueueLen);
  putIfNonEmpty(entry, 'vethLinkAddress', c.vethLinkAddress);
  putIfSet(entry, 'vethMTU', c.vethMTU);
  putIfSet(entry, 'tunePodRoutes', c.tunePodRoutes);
  putIfNonEmpty(entry, 'podMACPrefix', c.podMACPrefix);
  putIfNonEmpty(entry, 'mode', c.mode);
  entry['type'] = 'coordinator';
  putIfNonEmpty(entry, 'podDefaultRouteNic', c.podDefaultRouteNIC);
  // Upstream copies podRPFilter only when podCIDRType is set; kept for byte-identical NADs (spec §1.5.3).
  if (c.podCIDRType !== undefined) putIfSet(entry, 'podRPFilter', c.podRPFilter);
  putIfNonEmpty(entry, 'hijackCIDR', c.hijackCIDR ?? []);
  putIfNonEmpty(
    entry,
    'policyRoutes',
    (c.policyRoutes ?? []).map((r) => ({ dst: r.dst, gw: r.gw })),
  );
  return entry;
}

function bondEntry(bond: BondConfig): JsonObject {
  const out: JsonObject = { name: bond.name, mode: bond.mode };
  putIfSet(out, 'options', bond.options ?? '');
  return out;
}

function ifacerEntry(master: readonly string[], vlanID: number, bond: BondConfig | undefined): JsonObject {
  const entry: JsonObject = {};
  putIfNonEmpty(entry, 'vlanID', vlanID);
  entry['type'] = 'ifacer';
  putIfNonEmpty(entry, 'interfaces', [...master]);
  if (bond) entry['bond'] = bondEntry(bond);
  return entry;
}

/** Base interface of macvlan/ipvlan/vlan: the single master, else the bond (§1.5.4). */
function baseInterface(path: string, master: readonly string[], bond: BondConfig | undefined): string {
  const [first] = master;
  if (master.length === 1 && first !== undefined) return first;
  if (master.length === 0) throw new InvalidSpecError(`${path}.master`, 'master cannot be empty');
  if (!bond?.name) throw new InvalidSpecError(`${path}.bond`, 'bond with a name is required with multiple interfaces');
  return bond.name;
}

function parseChainItems(items: readonly string[]): Json[] {
  return items.map((text, i) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new InvalidSpecError(`spec.chainCNIJsonData[${i}]`, 'not valid JSON', { cause: err });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new InvalidSpecError(`spec.chainCNIJsonData[${i}]`, 'must be a JSON object');
    }
    return sortKeys(parsed);
  });
}

function mainPlugins(spec: SpiderMultusConfig['spec'], ipam: (pools: SpiderpoolPools | undefined, match?: boolean) => JsonObject | undefined) {
  const head: JsonObject[] = [];
  const afterMain: JsonObject[] = [];
  const tail: JsonObject[] = [];
  const withIpam = (obj: JsonObject, pools: SpiderpoolPools | undefined, match = false): JsonObject => {
    const section = ipam(pools, match);
    if (section) obj['ipam'] = section;
    return obj;
  };
  switch (spec.cniType) {
    case 'macvlan':
    case 'ipvlan': {
      const path = `spec.${spec.cniType}`;
      const cfg = spec.cniType === 'macvlan' ? spec.macvlan : spec.ipvlan;
      if (!cfg) throw new InvalidSpecError(path, `required for cniType ${spec.cniType}`);
      const vlanID = cfg.vlanID ?? 0;
      const base = baseInterface(path, cfg.master, cfg.bond);
      const main: JsonObject = { type: spec.cniType, master: vlanID !== 0 ? `${base}.${vlanID}` : base };
      if (spec.cniType === 'macvlan') main['mode'] = 'bridge';
      putIfSet(main, 'mtu', cfg.mtu ?? 0);
      if (vlanID !== 0 || cfg.master.length >= 2) head.push(ifacerEntry(cfg.master, vlanID, cfg.bond));
      head.push(withIpam(main, cfg.ippools));
      break;
    }
    case 'vlan': {
      const cfg = spec.vlan;
      if (!cfg) throw new InvalidSpecError('spec.vlan', 'required for cniType vlan');
      const vlanMode = cfg.vlanMode ?? 'manual';
      const main: JsonObject = { type: 'vlan', master: baseInterface('spec.vlan', cfg.master, cfg.bond), vlanMode };
      if (vlanMode === 'manual') main['vlanId'] = cfg.vlanID ?? 0;
      putIfSet(main, 'mtu', cfg.mtu ?? 0);
      if (cfg.master.length >= 2) head.push(ifacerEntry(cfg.master, 0, cfg.bond));
      head.push(withIpam(main, cfg.ippools));
      break;
    }
    case 'sriov': {
      const cfg = spec.sriov;
      if (!cfg) throw new InvalidSpecError('spec.sriov', 'required for cniType sriov');
      const main: JsonObject = {
        vlan: cfg.vlanID ?? 0,
        min_tx_rate: cfg.minTxRateMbps ?? 0,
        max_tx_rate: cfg.maxTxRateMbps ?? 0,
        type: 'sriov',
      };
      head.push(withIpam(main, cfg.ippools, true));
      if (cfg.rdmaIsolation) afterMain.push({ type: 'rdma' });
      const mtu = cfg.mtu ?? 0;
      if (mtu > 0) tail.push({ type: 'tuning', mtu });
      break;
    }
    case 'ib-sriov': {
      const cfg = spec.ibsriov;
      if (!cfg) throw new InvalidSpecError('spec.ibsriov', 'required for cniType ib-sriov');
      const main: JsonObject = {
        type: 'ib-sriov',
        pkey: cfg.pkey ?? '',
        link_state: cfg.linkState ?? 'enable',
        rdmaIsolation: cfg.rdmaIsolation ?? true,
        ibKubernetesEnabled: cfg.enableIbKubernetes ?? false,
      };
      head.push(withIpam(main, cfg.ippools));
      break;
    }
    case 'ipoib': {
      const cfg = spec.ipoib;
      if (!cfg) throw new InvalidSpecError('spec.ipoib', 'required for cniType ipoib');
      const main: JsonObject = { type: 'ipoib' };
      putIfNonEmpty(main, 'master', cfg.master);
      head.push(withIpam(main, cfg.ippools));
      break;
    }
    case 'ovs': {
      const cfg = spec.ovs;
      if (!cfg) throw new InvalidSpecError('spec.ovs', 'required for cniType ovs');
      const main: JsonObject = { vlan: cfg.vlan ?? 0, type: 'ovs', bridge: cfg.bridge };
      putIfNonEmpty(main, 'deviceID', cfg.deviceID);
      withIpam(main, cfg.ippools);
      const trunk = (cfg.trunk ?? []).map((t) => {
        const item: JsonObject = {};
        putIfSet(item, 'minID', t.minID);
        putIfSet(item, 'maxID', t.maxID);
        putIfSet(item, 'id', t.id);
        return item;
      });
      putIfNonEmpty(main, 'trunk', trunk);
      head.push(main);
      break;
    }
    default:
      throw new InvalidSpecError('spec.cniType', `unsupported cniType ${String(spec.cniType)}`);
  }
  return { head, afterMain, tail };
}

function resourceAnnotation(smc: SpiderMultusConfig): string | undefined {
  const spec = smc.spec;
  if (spec.cniType === 'sriov') return spec.sriov?.resourceName ?? '';
  if (spec.cniType === 'ib-sriov') return spec.ibsriov?.resourceName ?? '';
  if (spec.cniType === 'ovs' && spec.ovs?.deviceID) return `ovs-cni.network.kubevirt.io/${spec.ovs.bridge}`;
  return undefined;
}

/**
 * Render the NAD an SMC stands for. Accepts SMCs with or without the mutating webhook's defaults (it applies
 * the shared SMC-M1..M5 defaulting itself, idempotently), so the output does not depend on whether the webhook ran.
 * Throws `InvalidSpecError` for input the validating webhook rejects (missing sub-config, bad chain JSON, ...).
 */
export function renderNad(smc: SpiderMultusConfig): RenderedNad {
  const namespace = smc.metadata.namespace ?? '';
  const name = nadNameOf(smc);
  const annotations: Record<string, string> = { ...(smc.metadata.annotations ?? {}) };
  const resource = resourceAnnotation(smc);
  if (resource !== undefined) annotations[ANNOTATION_NAD_RESOURCE_NAME] = resource;

  // The webhook's SMC-M1..M5, on a copy, so the NAD is the same whether or not the webhook ran.
  const spec = defaultMultusConfig(structuredClone({ spec: smc.spec })).spec as SpiderMultusConfig['spec'];
  if (spec.cniType === 'custom') {
    return { namespace, name, annotations, config: spec.customCNI ?? '' };
  }

  const ipam = (pools: SpiderpoolPools | undefined, match = false): JsonObject | undefined =>
    spec.disableIPAM ? undefined : ipamEntry(pools, { matchMasterSubnet: match });
  const { head, afterMain, tail } = mainPlugins(spec, ipam);
  const chain = parseChainItems(spec.chainCNIJsonData ?? []);
  const plugins: Json[] = [...head, ...afterMain, ...chain];
  // txQueueLen: the CRD structural default the API server adds after the webhook's SMC-M3.
  if (spec.enableCoordinator ?? true) plugins.push(coordinatorEntry(fillDefaults({ ...spec.coordinator }, { txQueueLen: 0 })));
  plugins.push(...tail);

  const cniName = annotations[ANNOTATION_CNI_CONFIG_NAME] || name;
  const conflist: JsonObject = {
    cniVersion: smc.metadata.annotations?.[ANNOTATION_MULTUS_CNI_VERSION] ?? DEFAULT_CNI_VERSION,
    name: cniName,
    plugins,
  };
  return { namespace, name, annotations, config: goJson(conflist) };
}
