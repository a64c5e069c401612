// The CNI result: one internal model (the 1.x shape) and the printer that converts it to the
// netconf's cniVersion. 0.3.x/0.4.0 add `ips[].version`; 1.x has none. Key order is fixed so the
// printed JSON is stable (golden files in cni-result.spec.ts).
import * as z from 'zod/mini';
import { resultFamily } from './cni-version.js';

export interface CniInterface {
  name: string;
  mac?: string;
  mtu?: number;
  sandbox?: string;
}
export interface CniIpConfig {
  address: string;
  gateway?: string;
  interface?: number;
}
export interface CniRoute {
  dst: string;
  gw?: string;
}
export interface CniDns {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}
/** Result in the 1.x shape, independent of the version it is printed as. */
export interface CniResult {
  interfaces?: CniInterface[];
  ips: CniIpConfig[];
  routes?: CniRoute[];
  dns: CniDns;
}

function ipVersion(address: string): '4' | '6' {
  return address.includes(':') ? '6' : '4';
}

function dnsOut(d: CniDns): CniDns {
  return {
    ...(d.nameservers?.length ? { nameservers: d.nameservers } : {}),
    ...(d.domain ? { domain: d.domain } : {}),
    ...(d.search?.length ? { search: d.search } : {}),
    ...(d.options?.length ? { options: d.options } : {}),
  };
}

/** The result as the JSON object of `cniVersion`. */
export function resultForVersion(result: CniResult, cniVersion: string): Record<string, unknown> {
  const legacy = resultFamily(cniVersion) === 'legacy';
  const ips = result.ips.map((ip) => ({
    ...(legacy ? { version: ipVersion(ip.address) } : {}),
    ...(ip.interface !== undefined ? { interface: ip.interface } : {}),
    address: ip.address,
    ...(ip.gateway ? { gateway: ip.gateway } : {}),
  }));
  return {
    cniVersion,
    ...(result.interfaces?.length ? { interfaces: result.interfaces } : {}),
    ...(ips.length ? { ips } : {}),
    ...(result.routes?.length
      ? { routes: result.routes.map((r) => ({ dst: r.dst, ...(r.gw ? { gw: r.gw } : {}) })) }
      : {}),
    dns: dnsOut(result.dns),
  };
}

/** Printed form: JSON indented with 4 spaces, newline-terminated (as the Go skel prints it). */
export function printResult(result: CniResult, cniVersion: string): string {
  return `${JSON.stringify(resultForVersion(result, cniVersion), null, 4)}\n`;
}

const PrevResult = z.object({
  cniVersion: z.optional(z.string()),
  interfaces: z.optional(
    z.array(
      z.object({
        name: z.string(),
        mac: z.optional(z.string()),
        mtu: z.optional(z.number()),
        sandbox: z.optional(z.string()),
      }),
    ),
  ),
  ips: z.optional(
    z.array(
      z.object({
        version: z.optional(z.string()),
        interface: z.optional(z.int()),
        address: z.string(),
        gateway: z.optional(z.string()),
      }),
    ),
  ),
  routes: z.optional(z.array(z.object({ dst: z.string(), gw: z.optional(z.string()) }))),
  dns: z.optional(
    z.object({
      nameservers: z.optional(z.array(z.string())),
      domain: z.optional(z.string()),
      search: z.optional(z.array(z.string())),
      options: z.optional(z.array(z.string())),
    }),
  ),
});

export type PrevResultOutcome = { ok: true; result: CniResult } | { ok: false; message: string };

/** Decode a `prevResult` of any supported version into the internal (1.x) model. */
export function parsePrevResult(raw: unknown): PrevResultOutcome {
  const r = PrevResult.safeParse(raw);
  if (!r.success) {
    return {
      ok: false,
      message: r.error.issues.map((i) => `prevResult.${i.path.join('.')}: ${i.message}`).join('; '),
    };
  }
  const p = r.data;
  const result: CniResult = {
    ips: (p.ips ?? []).map((ip) => ({
      address: ip.address,
      ...(ip.gateway ? { gateway: ip.gateway } : {}),
      ...(ip.interface !== undefined ? { interface: ip.interface } : {}),
    })),
    dns: p.dns ?? {},
  };
  if (p.interfaces) result.interfaces = p.interfaces;
  if (p.routes) result.routes = p.routes;
  return { ok: true, result };
}
