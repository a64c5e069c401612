// Pure SpiderMultusConfig validation rules (crds.md §6.3). Field paths are upstream's internal names (quirk 9).
// SMC-V1/V2 need the old object and the cluster, SMC-V6 is the coordinator rule set: both stay in the webhook.
import {
  ANNOTATION_MULTUS_CNI_VERSION,
  ANNOTATION_NETWORK_RESOURCE_INJECT,
  ANNOTATION_RDMA_RESOURCE_INJECT,
  CNI_TYPES,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  type FieldError,
} from '@spiderpool/crd-types';
import { isNil, SUB_CONFIG_KEY, SUB_CONFIG_KEYS, type SmcObjectLike, type SubConfigKey } from './smc-defaults.js';

export const SMC_CNI_VERSIONS = ['0.3.0', '0.3.1', '0.4.0', '1.0.0'] as const;

interface SpiderpoolPoolsLike {
  ipv4?: string[] | null;
  ipv6?: string[] | null;
  matchMasterSubnet?: boolean | null;
}

interface SubConfigLike {
  master?: string[] | string | null;
  mtu?: number | null;
  vlanID?: number | null;
  vlanMode?: string | null;
  bond?: { name?: string; mode?: number; options?: string | null } | null;
  rdmaResourceName?: string | null;
  resourceName?: string | null;
  minTxRateMbps?: number | null;
  maxTxRateMbps?: number | null;
  vlan?: number | null;
  trunk?: { minID?: number | null; maxID?: number | null; id?: number | null }[] | null;
  ippools?: SpiderpoolPoolsLike | null;
}

/** The SMC spec as the webhook sees it: loose, before schema defaults. */
export type SmcSpecLike = { [K in SubConfigKey]?: SubConfigLike | null } & {
  cniType?: string | null;
  customCNI?: string | null;
  coordinator?: Record<string, unknown> | null;
  chainCNIJsonData?: string[] | null;
};

const PATH_OF: Record<string, string> = {
  macvlan: 'spec.macvlanConfig',
  ipvlan: 'spec.ipvlanConfig',
  vlan: 'spec.vlan',
  sriov: 'spec.sriovConfig',
  ovs: 'spec.ovsConfig',
  'ib-sriov': 'spec.ibsriovConfig',
  ipoib: 'spec.ipoibConfig',
  custom: 'spec.customCniTypeConfig',
};
/** Upstream names spec.sriovConfig in the exclusivity message of ib-sriov, ipoib and ovs (copy-paste kept). */
const EXCL_NAME: Record<string, string> = { ...PATH_OF, 'ib-sriov': 'spec.sriovConfig', ipoib: 'spec.sriovConfig', ovs: 'spec.sriovConfig' };

export const smcSpec = (obj: SmcObjectLike): SmcSpecLike => (obj.spec ?? {}) as SmcSpecLike;

const hasPools = (p: SpiderpoolPoolsLike | null | undefined): boolean =>
  (p?.ipv4 ?? []).length > 0 || (p?.ipv6 ?? []).length > 0;

const inRange = (v: number | null | undefined, max: number): boolean => isNil(v) || (v >= 0 && v <= max);

function exclusivity(spec: SmcSpecLike, cniType: string): FieldError | null {
  const own = SUB_CONFIG_KEY[cniType as keyof typeof SUB_CONFIG_KEY];
  const violated = SUB_CONFIG_KEYS.filter((k) => k !== own).some((k) => !isNil(spec[k])) || !isNil(spec.customCNI);
  return violated
    ? fieldForbidden('spec.cniType', `cniType ${cniType} only supports ${EXCL_NAME[cniType]}, remove the other CNI configs`)
    : null;
}

/** g/h of SMC-V5: RDMA / network resource injection prerequisites. */
function injection(path: string, resource: string | null | undefined, pools: SpiderpoolPoolsLike | null | undefined, r: boolean, n: boolean): FieldError | null {
  if (r && (isNil(resource) || resource === '' || !hasPools(pools))) {
    return fieldInvalid(path, resource ?? '', `${ANNOTATION_RDMA_RESOURCE_INJECT} requires an RDMA resource name and at least one IPv4 or IPv6 pool`);
  }
  if (n && !isNil(resource) && resource !== '' && !hasPools(pools)) {
    return fieldInvalid(path, resource, `${ANNOTATION_NETWORK_RESOURCE_INJECT} requires at least one IPv4 or IPv6 pool`);
  }
  return null;
}

function mastersAndBond(path: string, c: SubConfigLike): FieldError | null {
  const masters = Array.isArray(c.master) ? c.master : [];
  if (masters.length === 0) return fieldInvalid(path, masters, 'master cannot be empty');
  if (masters.length >= 2) {
    if (isNil(c.bond)) return fieldInvalid(path, masters, 'bond is required with multiple interfaces');
    if (!c.bond.name) return fieldInvalid(path, c.bond, 'bond name cannot be empty');
  }
  return null;
}

/** SMC-V3..V5: CNI version annotation, cniType and its sub-configuration. First error only. */
export function checkMultusConfigType(obj: SmcObjectLike): FieldError | null {
  const spec = smcSpec(obj);
  const annotations = obj.metadata?.annotations ?? {};
  const r = annotations[ANNOTATION_RDMA_RESOURCE_INJECT] !== undefined;
  const n = annotations[ANNOTATION_NETWORK_RESOURCE_INJECT] !== undefined;
  // SMC-V3
  const ver = annotations[ANNOTATION_MULTUS_CNI_VERSION];
  if (ver !== undefined && !(SMC_CNI_VERSIONS as readonly string[]).includes(ver)) {
    return fieldInvalid('metadata.annotations', ver, `unsupported CNI version ${ver}`);
  }
  // SMC-V4
  if (isNil(spec.cniType)) return fieldInvalid('spec.cniType', null, 'cniType must be set');
  const t = spec.cniType;
  if (!Object.hasOwn(PATH_OF, t)) return fieldNotSupported('spec.cniType', t, CNI_TYPES);
  // SMC-V5
  return checkType(spec, t, PATH_OF[t] as string, r, n);
}

/** SMC-V7: every chained plugin is a CNI NetConf. */
export function checkChainCNIJsonData(obj: SmcObjectLike): FieldError | null {
  for (const entry of smcSpec(obj).chainCNIJsonData ?? []) {
    const problem = netConfProblem(entry);
    if (problem) return fieldForbidden('spec.chainCNIJsonData', `invalid ${entry}: ${problem}`);
  }
  return null;
}

function checkType(spec: SmcSpecLike, t: string, path: string, r: boolean, n: boolean): FieldError | null {
  const key = SUB_CONFIG_KEY[t as keyof typeof SUB_CONFIG_KEY];
  const c = key ? spec[key] : null;
  switch (t) {
    case 'macvlan':
    case 'ipvlan':
    case 'vlan': {
      if (isNil(c)) return fieldRequired(path, `${t} config must be set for cniType ${t}`);
      if (t === 'vlan') {
        if (isNil(c.vlanMode)) return fieldInvalid(path, null, 'vlanMode must be set');
        if (c.vlanMode === 'manual' && isNil(c.vlanID)) return fieldInvalid(path, c.vlanMode, 'vlanID is required in manual vlanMode');
        if (c.vlanMode === 'auto' && !isNil(c.vlanID)) return fieldInvalid(path, c.vlanID, 'vlanID must not be set in auto vlanMode');
        if (c.vlanMode !== 'manual' && c.vlanMode !== 'auto') return fieldInvalid(path, c.vlanMode, 'vlanMode must be manual or auto');
      }
      if (!inRange(c.vlanID, 4094)) return fieldInvalid(path, c.vlanID, 'vlanID must be in 0-4094');
      if (!isNil(c.mtu) && c.mtu < 0) return fieldInvalid(path, c.mtu, 'MTU must be >= 0');
      if (c.ippools?.matchMasterSubnet === true) return fieldInvalid(path, true, `matchMasterSubnet is not supported for ${t}`);
      return mastersAndBond(path, c) ?? exclusivity(spec, t) ?? injection(path, c.rdmaResourceName, c.ippools, r, n);
    }
    case 'sriov': {
      if (isNil(c)) return fieldRequired(path, 'sriov config must be set for cniType sriov');
      if (!inRange(c.vlanID, 4094)) return fieldInvalid(path, c.vlanID, 'vlanID must be in 0-4094');
      if (!isNil(c.mtu) && c.mtu < 0) return fieldInvalid(path, c.mtu, 'MTU must be >= 0');
      if (!isNil(c.minTxRateMbps) && !isNil(c.maxTxRateMbps) && c.minTxRateMbps > c.maxTxRateMbps) {
        return fieldInvalid(path, c.minTxRateMbps, 'minTxRateMbps must not be greater than maxTxRateMbps');
      }
      if (isNil(c.resourceName) || c.resourceName === '') return fieldRequired(path, 'resourceName must be set for sriov');
      return exclusivity(spec, t) ?? injection(path, c.resourceName, c.ippools, r, n);
    }
    case 'ib-sriov': {
      if (isNil(c)) return fieldRequired(path, 'ibsriov config must be set for cniType ib-sriov');
      if (isNil(c.resourceName) || c.resourceName === '') return fieldRequired(path, 'resourceName must be set for ib-sriov');
      return exclusivity(spec, t) ?? injection(path, c.resourceName, c.ippools, r, n);
    }
    case 'ipoib': {
      if (isNil(c)) return fieldRequired(path, 'ipoib config must be set for cniType ipoib');
      const master = typeof c.master === 'string' ? c.master : '';
      if (master === '') return fieldRequired(path, 'master must be set for ipoib');
      return exclusivity(spec, t) ?? injection(path, master, c.ippools, r, n);
    }
    case 'ovs': {
      if (r || n) return fieldForbidden('spec.cniType', 'ovs does not support RDMA or network resource injection');
      if (isNil(c)) return fieldRequired(path, 'ovs config must be set for cniType ovs');
      if (!inRange(c.vlan, 4094)) return fieldInvalid(path, c.vlan, 'vlan must be in 0-4094');
      for (const [i, tr] of (c.trunk ?? []).entries()) {
        if (!isNil(tr.minID) && tr.minID > 4094) return fieldInvalid(path, tr.minID, `trunk[${i}].minID must be in 0-4094`);
        if (!isNil(tr.maxID) && tr.maxID > 4094) return fieldInvalid(path, tr.maxID, `trunk[${i}].maxID must be in 0-4094`);
        // Quirk 10 fixed: maxID without minID is rejected cleanly instead of crashing.
        if (!isNil(tr.maxID) && isNil(tr.minID)) return fieldInvalid(path, tr.maxID, `trunk[${i}].minID is required when maxID is set`);
        if (!isNil(tr.maxID) && !isNil(tr.minID) && tr.maxID < tr.minID) {
          return fieldInvalid(path, tr.maxID, `trunk[${i}].maxID must not be less than minID`);
        }
        if (!isNil(tr.id) && tr.id > 4094) return fieldInvalid(path, tr.id, `trunk[${i}].id must be in 0-4094`);
      }
      return exclusivity(spec, t);
    }
    case 'custom': {
      if (r || n) return fieldForbidden('spec.cniType', 'custom cniType does not support RDMA or network resource injection');
      if (SUB_CONFIG_KEYS.some((k) => !isNil(spec[k]))) {
        return fieldForbidden('spec.cniType', 'cniType custom only supports spec.customCniTypeConfig, remove the other CNI configs');
      }
      if (!isNil(spec.customCNI) && spec.customCNI !== '') {
        try {
          JSON.parse(spec.customCNI);
        } catch (err) {
          return fieldForbidden(path, `customCNI is not valid JSON: ${(err as Error).message}`);
        }
      }
      return null;
    }
  }
  return null;
}

/** SMC-V7: a JSON object decodable as a CNI NetConf with a non-empty `type`. */
export function netConfProblem(entry: string): string | null {
  let v: unknown;
  try {
    v = JSON.parse(entry);
  } catch (err) {
    return (err as Error).message;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not a JSON object';
  const o = v as Record<string, unknown>;
  for (const f of ['cniVersion', 'name', 'type']) {
    if (o[f] !== undefined && typeof o[f] !== 'string') return `field ${f} must be a string`;
  }
  for (const f of ['capabilities', 'ipam', 'dns']) {
    if (o[f] !== undefined && (typeof o[f] !== 'object' || o[f] === null || Array.isArray(o[f]))) return `field ${f} must be an object`;
  }
  if (!o['type']) return 'missing the plugin type';
  return null;
}
