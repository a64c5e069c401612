import type { IpamAddResponse, IpConfig, Route } from '@spiderpool/agent-api';
import type { IPAllocationDetail } from '@spiderpool/crd-types';
import { tryParseCIDR, tryParseIP, type IPFamily } from '@spiderpool/ipam-core';
import type { PoolAllocation } from '../ippool/ippool.manager.js';

export interface DetectionFlags {
  readonly enableIPConflictDetection: boolean;
  readonly enableGatewayDetection: boolean;
}

export interface NicAllocation {
  readonly nic: string;
  readonly cleanGateway: boolean;
  readonly results: ReadonlyArray<
    PoolAllocation & { readonly subnet: string; readonly routes: readonly { dst: string; gw: string }[] }
  >;
}

/**
 * SpiderEndpoint entries for fresh allocations (ipam.md §4.7, §4.8): one entry per NIC (v4 + v6 merged), pool
 * routes plus the custom routes of `ipam.spidernet.io/routes` (each to the first result whose subnet holds its
 * gateway); gateway and cleanGateway only when the pool has a gateway. Returns the custom routes that matched no
 * result too.
 */
export function toEndpointEntries(
  nics: readonly NicAllocation[],
  customRoutes: readonly { dst: string; gw: string }[],
): { entries: IPAllocationDetail[]; unmatchedRoutes: { dst: string; gw: string }[] } {
  const routesOf = new Map<string, { dst: string; gw: string }[]>();
  const unmatched: { dst: string; gw: string }[] = [];
  for (const route of customRoutes) {
    const gw = tryParseIP(route.gw);
    let placed = false;
    for (const nic of nics) {
      for (const r of nic.results) {
        const cidr = tryParseCIDR(r.subnet, r.family);
        if (
          gw !== undefined &&
          cidr !== undefined &&
          gw.family === r.family &&
          gw.value >= cidr.lo &&
          gw.value <= cidr.hi
        ) {
          const key = `${nic.nic}/${r.family}`;
          routesOf.set(key, [...(routesOf.get(key) ?? []), route]);
          placed = true;
          break;
        }
      }
      if (placed) break;
    }
    if (!placed) unmatched.push(route);
  }
  const entries = nics.map((nic) => {
    const entry: IPAllocationDetail = { interface: nic.nic, vlan: 0 };
    const routes: { dst: string; gw: string }[] = [];
    let hasGateway = false;
    for (const r of nic.results) {
      const v = r.family === 4 ? 'ipv4' : 'ipv6';
      entry[v] = r.address;
      entry[`${v}Pool`] = r.pool;
      if (r.gateway) {
        entry[`${v}Gateway`] = r.gateway;
        hasGateway = true;
      }
      routes.push(...r.routes, ...(routesOf.get(`${nic.nic}/${r.family}`) ?? []));
    }
    if (hasGateway) entry.cleanGateway = nic.cleanGateway;
    if (routes.length > 0) entry.routes = routes;
    return entry;
  });
  return { entries, unmatchedRoutes: unmatched };
}

const DEFAULT_DST: Record<IPFamily, string> = { 4: '0.0.0.0/0', 6: '::/0' };

/** The ADD response for every named NIC of the endpoint: stored routes plus the regenerated default routes. */
export function toAddResponse(
  entries: readonly IPAllocationDetail[],
  flags: DetectionFlags,
): IpamAddResponse {
  const ips: IpConfig[] = [];
  const routes: Route[] = [];
  for (const e of entries) {
    const nic = e.interface;
    if (nic === '') continue;
    const defaults: Route[] = [];
    for (const family of [4, 6] as const) {
      const address = family === 4 ? e.ipv4 : e.ipv6;
      if (address === undefined || address === '') continue;
      const pool = family === 4 ? e.ipv4Pool : e.ipv6Pool;
      const gateway = family === 4 ? e.ipv4Gateway : e.ipv6Gateway;
      ips.push({
        version: family,
        address,
        nic,
        ...(pool ? { ipPool: pool } : {}),
        ...(gateway ? { gateway } : {}),
        ...(e.vlan ? { vlan: e.vlan } : {}),
        ...(e.mac ? { mac: e.mac } : {}),
        enableGatewayDetection: flags.enableGatewayDetection,
        enableIPConflictDetection: flags.enableIPConflictDetection,
      });
      if (gateway && e.cleanGateway !== true)
        defaults.push({ ifName: nic, dst: DEFAULT_DST[family], gw: gateway });
    }
    for (const r of e.routes ?? []) routes.push({ ifName: nic, dst: r.dst, gw: r.gw });
    routes.push(...defaults);
  }
  return { ips, routes };
}
