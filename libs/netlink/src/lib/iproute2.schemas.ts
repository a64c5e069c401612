/** zod schemas for the `ip -json` output this lib reads (iproute2 ≥ 5.x; checked against 6.1). */
import { z } from 'zod';

export const ipLinkSchema = z.object({
  ifindex: z.number().int(),
  ifname: z.string(),
  flags: z.array(z.string()),
  mtu: z.number().int(),
  operstate: z.string().optional(),
  txqlen: z.number().int().optional(),
  address: z.string().optional(),
  master: z.string().optional(),
  link_index: z.number().int().optional(),
  linkinfo: z.object({ info_kind: z.string().optional() }).optional(),
});

export const ipAddrSchema = z.object({
  ifname: z.string(),
  addr_info: z.array(
    z.object({
      family: z.string(),
      local: z.string().optional(),
      prefixlen: z.number().int(),
      scope: z.string().optional(),
    }),
  ),
});

const metricsSchema = z.union([
  z.array(z.record(z.string(), z.unknown())),
  z.record(z.string(), z.unknown()),
]);

export const ipRouteSchema = z.object({
  type: z.string().optional(),
  dst: z.string(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  table: z.string().optional(),
  protocol: z.string().optional(),
  scope: z.string().optional(),
  prefsrc: z.string().optional(),
  metric: z.number().optional(),
  metrics: metricsSchema.optional(),
  nexthops: z
    .array(
      z.object({ gateway: z.string().optional(), dev: z.string().optional(), weight: z.number().optional() }),
    )
    .optional(),
});

export const ipRouteGetSchema = z.object({
  dst: z.string(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  prefsrc: z.string().optional(),
});

export const ipRuleSchema = z.object({
  priority: z.number().int(),
  src: z.string().optional(),
  srclen: z.number().int().optional(),
  dst: z.string().optional(),
  dstlen: z.number().int().optional(),
  table: z.string().optional(),
  fwmark: z.string().optional(),
  fwmask: z.string().optional(),
});

export const ipNeighSchema = z.object({
  dst: z.string(),
  dev: z.string().optional(),
  lladdr: z.string().optional(),
  state: z.array(z.string()).optional(),
});
