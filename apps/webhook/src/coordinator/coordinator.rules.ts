// Pure CoordinatorSpec rules (crds.md §7.3, §7.4), shared by SpiderCoordinator and SpiderMultusConfig.
import { fieldInvalid, fieldNotSupported, type FieldError } from '@spiderpool/crd-types';
import { isNil } from '../admission/kind-webhook.js';
import { formatIP, tryParseCIDR, tryParseIP } from '@spiderpool/ipam-core';

export interface CoordinatorSpec {
  mode?: string | null;
  podCIDRType?: string | null;
  hijackCIDR?: string[] | null;
  policyRoutes?: { dst: string; gw: string }[] | null;
  podMACPrefix?: string | null;
  tunePodRoutes?: boolean | null;
  podDefaultRouteNIC?: string | null;
  hostRuleTable?: number | null;
  podRPFilter?: number | null;
  txQueueLen?: number | null;
  vethLinkAddress?: string | null;
  vethMTU?: number | null;
}

export const POD_CIDR_TYPES = ['auto', 'cluster', 'calico', 'cilium', 'none'] as const;

/**
 * Deliberate difference (compat.md): the legacy spelling `disable` (what the coordinator plugin compares
 * against upstream) is rewritten to the CRD enum value `disabled`, so both spellings mean "off".
 */
export function normalizeMode(spec: CoordinatorSpec): void {
  if (spec.mode === 'disable') spec.mode = 'disabled';
}

/** COO-M4: bare IPs in hijackCIDR get /32 or /128. Returns false when an entry does not parse (stop). */
export function normalizeHijackCIDR(spec: CoordinatorSpec): boolean {
  const list = spec.hijackCIDR ?? [];
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as string;
    if (entry.includes('/')) continue;
    const ip = tryParseIP(entry);
    if (ip === undefined) return false;
    list[i] = `${entry}/${ip.family === 4 ? 32 : 128}`;
  }
  return true;
}

/** COO-M5: policyRoutes dst as canonical address + prefix, host bits kept. False on a parse failure (stop). */
export function normalizePolicyRoutes(spec: CoordinatorSpec): boolean {
  for (const route of spec.policyRoutes ?? []) {
    const prefix = parsePrefixOrIP(route.dst);
    if (prefix === null) return false;
    route.dst = `${formatIP(prefix.family, prefix.address)}/${prefix.prefix}`;
  }
  return true;
}

/** `netip.ParsePrefix`-like (host bits allowed) or a bare IP as a full-length prefix. */
export function parsePrefixOrIP(text: string): { family: 4 | 6; address: bigint; prefix: number } | null {
  if (text.includes('/')) {
    const c = tryParseCIDR(text);
    return c === undefined ? null : { family: c.family, address: c.address, prefix: c.prefix };
  }
  const ip = tryParseIP(text);
  return ip === undefined ? null : { family: ip.family, address: ip.value, prefix: ip.family === 4 ? 32 : 128 };
}

const MAC_PREFIX = /^[0-9a-fA-F]{2}:[0-9a-fA-F]{2}$/;

/**
 * COO-V1..V9. `requireTopLevel` is true for SpiderCoordinator (COO-V1 and the null podRPFilter check);
 * SpiderMultusConfig (SMC-V6) passes false. First error only.
 */
export function checkCoordinatorSpec(spec: CoordinatorSpec, opts: { requireTopLevel: boolean }): FieldError | null {
  // COO-V1, COO-V2
  if (isNil(spec.podCIDRType)) {
    if (opts.requireTopLevel) return fieldNotSupported('spec.podCIDRType', '', POD_CIDR_TYPES);
  } else if (!(POD_CIDR_TYPES as readonly string[]).includes(spec.podCIDRType)) {
    return fieldNotSupported('spec.podCIDRType', spec.podCIDRType, POD_CIDR_TYPES);
  }
  // COO-V3 (upstream path name `spec.extraCIDR` kept)
  const hijack = spec.hijackCIDR ?? [];
  for (let i = 0; i < hijack.length; i++) {
    if (parsePrefixOrIP(hijack[i] as string) === null) {
      return fieldInvalid(`spec.extraCIDR[${i}]`, hijack[i], 'invalid IP or CIDR');
    }
  }
  // COO-V4
  const routes = spec.policyRoutes ?? [];
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i] as { dst: string; gw: string };
    const dst = parsePrefixOrIP(r.dst);
    if (dst === null) return fieldInvalid(`spec.policyRoutes[${i}].dst`, r.dst, 'dst is not a valid IP or CIDR');
    const gw = tryParseIP(r.gw);
    if (gw === undefined) return fieldInvalid(`spec.policyRoutes[${i}].gw`, r.gw, 'gw is not a valid IP address');
    if (dst.family !== gw.family) {
      return fieldInvalid(`spec.policyRoutes[${i}]`, r, 'dst and gw must be the same IP family');
    }
  }
  // COO-V5 (strict hex; compat.md)
  if (!isNil(spec.podMACPrefix) && spec.podMACPrefix !== '') {
    if (!MAC_PREFIX.test(spec.podMACPrefix)) {
      return fieldInvalid('spec.podMACPrefix', spec.podMACPrefix, 'not a valid MAC prefix, expected XX:XX');
    }
    if ((parseInt(spec.podMACPrefix.slice(0, 2), 16) & 1) !== 0) {
      return fieldInvalid('spec.podMACPrefix', spec.podMACPrefix, 'not a unicast MAC: the lowest bit of the first byte must be 0');
    }
  }
  // COO-V6
  if (!isNil(spec.txQueueLen) && spec.txQueueLen < 0) {
    return fieldInvalid('spec.txQueueLen', spec.txQueueLen, 'txQueueLen must be >= 0');
  }
  // COO-V7
  if (isNil(spec.podRPFilter)) {
    if (opts.requireTopLevel) return fieldNotSupported('spec.podRPFilter', null, ['0', '1', '2']);
  } else if (spec.podRPFilter >= 0 && ![0, 1, 2].includes(spec.podRPFilter)) {
    return fieldNotSupported('spec.podRPFilter', spec.podRPFilter, ['0', '1', '2']);
  }
  // COO-V8
  if (!isNil(spec.vethLinkAddress) && spec.vethLinkAddress !== '' && tryParseIP(spec.vethLinkAddress) === undefined) {
    return fieldInvalid('spec.vethLinkAddress', spec.vethLinkAddress, 'not a valid IP address');
  }
  // COO-V9
  if (!isNil(spec.vethMTU) && spec.vethMTU <= 0) {
    return fieldInvalid('spec.vethMTU', spec.vethMTU, 'vethMTU must be greater than 0');
  }
  return null;
}
