// Routes and rules that send node/service/hijacked traffic through the host-side path (spec §3.3
// steps 20–23 and 25). Every add tolerates "already exists".
import { MAIN_TABLE } from '@spiderpool/netlink';
import type { WiredContext } from './add-context.js';
import { hasFamily } from './add-context.js';
import { NetworkSetupError } from './coordinator.errors.js';
import { hostPrefix, ipFamily, parseCidr, type Family } from './ip-address.js';
import { POD_VETH, REPLY_TABLE } from './mode.js';
import { replyPathRules } from './packet-mark.port.js';

export const HOST_RULE_PRIORITY = 1000;
export const REPLY_RULE_PRIORITY = 1000;
export const REPLY_MARK = 0x1;

const srcFor = (ctx: WiredContext, family: Family) => (family === 4 ? ctx.podSrcV4 : undefined);

/** Step 20: pod → host IPs via the pair; host → pod IPs via the pair in the host rule table. */
export async function setupHostRoutes(ctx: WiredContext): Promise<void> {
  for (const ip of ctx.hostIPs) {
    const family = ipFamily(ip) ?? 4;
    const route = { dst: hostPrefix(ip), dev: ctx.podDev, scope: 'link' as const, src: srcFor(ctx, family) };
    await ctx.nl.addRoute({ ...route, table: ctx.decision.table }, ctx.pod);
    if (ctx.decision.firstInvoke) await ctx.nl.addRoute(route, ctx.pod);
  }
  const { netlink } = ctx.ports;
  for (const family of ctx.families) {
    const existing = await netlink.listRules({ family }, ctx.host);
    const present = existing.some(
      (r) =>
        r.table === ctx.cfg.hostRuleTable &&
        r.priority === HOST_RULE_PRIORITY &&
        r.from === undefined &&
        r.to === undefined &&
        r.fwmark === undefined,
    );
    // Shared by every pod on the node: created once, never removed (not journaled either).
    if (!present) {
      await netlink
        .addRule({ family, table: ctx.cfg.hostRuleTable, priority: HOST_RULE_PRIORITY }, ctx.host)
        .catch((e: unknown) => {
          if ((e as { code?: string }).code !== 'ALREADY_EXISTS') throw e;
        });
    }
  }
  for (const ip of ctx.currentAddresses) {
    const dst = hostPrefix(ip);
    const stale = (
      await netlink.listRoutes({ table: ctx.cfg.hostRuleTable, family: ipFamily(ip) ?? 4 }, ctx.host)
    ).filter((r) => r.dst === dst);
    for (const r of stale) {
      await netlink.deleteRoute(
        { dst, table: ctx.cfg.hostRuleTable, ...(r.dev ? { dev: r.dev } : {}) },
        ctx.host,
      );
    }
    await ctx.nl.addRoute({ dst, dev: ctx.hostDev, scope: 'link', table: ctx.cfg.hostRuleTable }, ctx.host);
  }
}

/** Steps 21–22: overlay/service/hijack CIDRs via the first host IP of the family. */
export async function setupHijackRoutes(ctx: WiredContext): Promise<void> {
  const gw4 = hasFamily(ctx, 4) ? ctx.hostIPs.find((ip) => ipFamily(ip) === 4) : undefined;
  const gw6 = hasFamily(ctx, 6) ? ctx.hostIPs.find((ip) => ipFamily(ip) === 6) : undefined;
  for (const cidr of ctx.cfg.hijack) {
    const family = parseCidr(cidr)?.family ?? 4;
    const gw = family === 4 ? gw4 : gw6;
    if (!gw) {
      ctx.logger.warn({ cidr }, `no IPv${family} host IP to route the hijacked CIDR through; skipped`);
      continue;
    }
    await ctx.nl.addRoute(
      {
        dst: cidr,
        via: gw,
        dev: ctx.podDev,
        src: srcFor(ctx, family),
        scope: 'universe',
        ...(ctx.decision.firstInvoke ? {} : { table: ctx.decision.table }),
      },
      ctx.pod,
    );
  }
}

/** Step 23 (underlay, first NIC): connections that came in through veth0 answer through veth0. */
export async function setupReplyPath(ctx: WiredContext): Promise<void> {
  for (const family of ctx.families) {
    const gw = ctx.hostIPs.find((ip) => ipFamily(ip) === family);
    try {
      for (const rule of replyPathRules(family, POD_VETH)) {
        if (await ctx.ports.packetMark.ensureRule(rule, ctx.pod)) {
          ctx.journal.record(`iptables ${rule.chain}`, () => ctx.ports.packetMark.deleteRule(rule, ctx.pod));
        }
      }
    } catch (e) {
      throw new NetworkSetupError('makeReplyPacketViaVeth', (e as Error).message, { cause: e });
    }
    await ctx.nl.addRule(
      { family, fwmark: REPLY_MARK, table: REPLY_TABLE, priority: REPLY_RULE_PRIORITY },
      ctx.pod,
    );
    if (!gw) {
      ctx.logger.warn(`no IPv${family} host IP: no reply-path default route in table ${REPLY_TABLE}`);
      continue;
    }
    await ctx.nl.addRoute(
      {
        dst: family === 4 ? '0.0.0.0/0' : '::/0',
        via: gw,
        dev: POD_VETH,
        src: srcFor(ctx, family),
        table: REPLY_TABLE,
      },
      ctx.pod,
    );
  }
}

/** Step 25: configured policy routes out of IfName (main on the first underlay NIC, else table T). */
export async function setupPolicyRoutes(ctx: WiredContext): Promise<void> {
  const table =
    ctx.decision.mode === 'underlay' && ctx.decision.firstInvoke ? MAIN_TABLE : ctx.decision.table;
  for (const r of ctx.cfg.policyRoutes) {
    if (!hasFamily(ctx, r.family)) continue;
    try {
      await ctx.nl.addRoute({ dst: r.dst, via: r.gw, dev: ctx.ifName, scope: 'universe', table }, ctx.pod);
    } catch (e) {
      throw new NetworkSetupError(
        'setupPolicyRoutes',
        `failed to AddRoute for configured route ${r.dst} via ${r.gw}: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
}
