// SpiderMultusConfig defaulting (crds.md §6.2, SMC-M1..M5): the one copy used by the mutating webhook and by the
// NAD renderer, so a NAD does not depend on whether the webhook ran.
import {
  ANNOTATION_NETWORK_RESOURCE_INJECT,
  ANNOTATION_RDMA_RESOURCE_INJECT,
  type CoordinatorSpec,
} from '@spiderpool/crd-types';

export const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;

/** The SMC sub-configuration field of each cniType (`custom` has none). */
export const SUB_CONFIG_KEY = {
  macvlan: 'macvlan',
  ipvlan: 'ipvlan',
  vlan: 'vlan',
  sriov: 'sriov',
  ovs: 'ovs',
  'ib-sriov': 'ibsriov',
  ipoib: 'ipoib',
  custom: null,
} as const;
export type SubConfigKey = NonNullable<(typeof SUB_CONFIG_KEY)[keyof typeof SUB_CONFIG_KEY]>;
export const SUB_CONFIG_KEYS: readonly SubConfigKey[] = ['macvlan', 'ipvlan', 'vlan', 'ovs', 'sriov', 'ibsriov', 'ipoib'];

/** SMC-M2 scalar defaults per cniType (`ippools` and `bond.options` are handled beside them). */
export const SUB_CONFIG_DEFAULTS = {
  macvlan: { vlanID: 0, mtu: 0, rdmaResourceName: '' },
  ipvlan: { vlanID: 0, mtu: 0, rdmaResourceName: '' },
  vlan: { vlanMode: 'manual', rdmaResourceName: '', mtu: 0 },
  sriov: { vlanID: 0, mtu: 0, minTxRateMbps: 0, maxTxRateMbps: 0, rdmaIsolation: false, resourceName: '' },
  'ib-sriov': { pkey: '', enableIbKubernetes: false, rdmaIsolation: true, resourceName: '', linkState: 'enable' },
  ipoib: {},
  ovs: { vlan: 0 },
} as const;

type Defaulted<T, D> = T & { [K in keyof D]-?: K extends keyof T ? NonNullable<T[K]> : D[K] };

/** Sets every field of `defaults` that is null or absent on `target`, in place; returns `target`. */
export function fillDefaults<T extends object, D extends object>(target: T, defaults: D): Defaulted<T, D> {
  const t = target as Record<string, unknown>;
  for (const [k, v] of Object.entries(defaults)) if (isNil(t[k])) t[k] = structuredClone(v);
  return target as Defaulted<T, D>;
}

/** SMC-M3 for a non-custom SMC: the coordinator block the webhook writes when the user gave none. */
export const smcDefaultCoordinator = (): CoordinatorSpecLike => ({
  mode: 'auto',
  hijackCIDR: [],
  policyRoutes: [],
  vethLinkAddress: '',
  podMACPrefix: '',
  podDefaultRouteNIC: '',
  podRPFilter: 0,
  tunePodRoutes: true,
});

/** SMC-M3 field defaults of a user-given coordinator block. */
export const SMC_COORDINATOR_DEFAULTS = {
  mode: 'auto',
  hijackCIDR: [] as string[],
  policyRoutes: [] as { dst: string; gw: string }[],
  podMACPrefix: '',
  podDefaultRouteNIC: '',
  // Deliberate difference (compat.md, quirk 7): true, as on SpiderCoordinator, not upstream's false.
  tunePodRoutes: true,
  txQueueLen: 0,
  podRPFilter: 0,
} as const;

type CoordinatorSpecLike = { [K in keyof CoordinatorSpec]?: CoordinatorSpec[K] | null } & Record<string, unknown>;

/** SMC-M3 on a coordinator block (in place when given): fills the defaults and maps mode `disable` → `disabled`. */
export function defaultCoordinator<C extends object>(c: C | null | undefined): CoordinatorSpecLike {
  if (isNil(c)) return smcDefaultCoordinator();
  const out = fillDefaults(c as CoordinatorSpecLike, SMC_COORDINATOR_DEFAULTS);
  if (out.mode === ('disable' as string)) out.mode = 'disabled';
  return out;
}

/** The loose object shape the webhook sees (no schema defaults applied yet). */
export interface SmcObjectLike {
  metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> } & Record<string, unknown>;
  spec?: Record<string, unknown> | null;
}

type Loose = Record<string, unknown>;
const emptyPools = (): Loose => ({ ipv4: [], ipv6: [] });

/** SMC-M2 on a sub-configuration, in place. */
export function defaultSubConfig(cniType: keyof typeof SUB_CONFIG_DEFAULTS, sub: Loose): Loose {
  if (cniType === 'vlan') {
    fillDefaults(sub, { vlanMode: 'manual' });
    if (sub['vlanMode'] === 'manual') fillDefaults(sub, { vlanID: 0 });
  }
  fillDefaults(sub, SUB_CONFIG_DEFAULTS[cniType]);
  if ((cniType === 'macvlan' || cniType === 'ipvlan' || cniType === 'vlan') && sub['bond']) fillDefaults(sub['bond'] as Loose, { options: '' });
  if (cniType === 'sriov') {
    if (isNil(sub['ippools'])) sub['ippools'] = { ...emptyPools(), matchMasterSubnet: false };
    else fillDefaults(sub['ippools'] as Loose, { matchMasterSubnet: false });
  } else {
    fillDefaults(sub, { ippools: emptyPools() });
  }
  return sub;
}

/** SMC-M1..M5 in place (the caller passes a copy); never fails. */
export function defaultMultusConfig<T extends SmcObjectLike>(obj: T): T {
  obj.spec ??= {};
  const spec = obj.spec;
  // SMC-M1
  if (isNil(spec['cniType'])) spec['cniType'] = 'custom';
  const cniType = spec['cniType'] as string;
  // SMC-M2
  if (cniType === 'custom') {
    fillDefaults(spec, { customCNI: '' });
  } else if (Object.hasOwn(SUB_CONFIG_DEFAULTS, cniType)) {
    const key = SUB_CONFIG_KEY[cniType as keyof typeof SUB_CONFIG_DEFAULTS];
    const sub = spec[key] as Loose | null | undefined;
    if (sub) defaultSubConfig(cniType as keyof typeof SUB_CONFIG_DEFAULTS, sub);
  }
  // SMC-M3
  if (cniType === 'custom') {
    delete spec['coordinator'];
    spec['enableCoordinator'] = false;
  } else {
    spec['coordinator'] = defaultCoordinator(spec['coordinator'] as Loose | null | undefined);
  }
  // SMC-M4
  fillDefaults(spec, { chainCNIJsonData: [] });
  // SMC-M5
  const annotations = obj.metadata?.annotations ?? {};
  for (const key of [ANNOTATION_RDMA_RESOURCE_INJECT, ANNOTATION_NETWORK_RESOURCE_INJECT]) {
    const v = annotations[key];
    if (v !== undefined) {
      obj.metadata ??= {};
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [key]: v };
    }
  }
  return obj;
}
