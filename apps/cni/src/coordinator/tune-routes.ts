// Step 24: keep exactly one default route in `main` and move the other NIC's routes into its policy
// table, with source rules selecting that table (spec §3.3 step 24).
import { MAIN_TABLE, type Route, type RouteScope, type RouteSpec } from '@spiderpool/netlink';
import type { WiredContext } from './add-context.js';
import { ModeConflictError } from './coordinator.errors.js';
import { hostPrefix, isDefaultDst, isLinkLocal } from './ip-address.js';
import { REPLY_TABLE } from './mode.js';

const SCOPES: readonly string[] = ['universe', 'link', 'host'];

function ownsDefault(r: Route, dev: string): boolean {
  return isDefaultDst(r.dst) && (r.dev === dev || (r.nexthops ?? []).some((n) => n.dev === dev));
}

/** A route as a spec for another table (copy keeps dev/via/src/scope/metric/mtu). */
function copySpec(r: Route, table: number, override: Partial<RouteSpec> = {}): RouteSpec {
  return {
    dst: r.dst,
    ...(r.via ? { via: r.via } : {}),
    ...(r.dev ? { dev: r.dev } : {}),
    ...(r.src && r.family === 4 ? { src: r.src } : {}),
    ...(SCOPES.includes(r.scope) ? { scope: r.scope as RouteScope } : {}),
    ...(r.metric > 0 ? { metric: r.metric } : {}),
    ...(r.mtu ? { mtu: r.mtu } : {}),
    table,
    ...override,
  };
}

export async function tunePodRoutes(ctx: WiredContext): Promise<void> {
  const { netlink } = ctx.ports;
  const T = ctx.decision.table;
  const links = (await netlink.listLinks(ctx.pod)).sort((a, b) => a.index - b.index);
  const mainRoutes: Route[] = [];
  for (const family of ctx.families)
    mainRoutes.push(...(await netlink.listRoutes({ table: MAIN_TABLE, family }, ctx.pod)));

  const defNic = links.find(
    (l) => l.name !== 'lo' && l.name !== ctx.ifName && mainRoutes.some((r) => ownsDefault(r, l.name)),
  )?.name;
  if (defNic === undefined) {
    ctx.logger.warn('no other pod NIC owns a default route; routes left as they are');
    return;
  }
  const configured = ctx.cfg.podDefaultRouteNic;
  let moveIf = ctx.ifName;
  if (configured !== '' && configured !== defNic) {
    if (!links.some((l) => l.name === configured))
      throw new ModeConflictError(`podDefaultRouteNIC: ${configured} don't exist in pod`);
    moveIf = defNic;
  }
  const defAddrs = (await netlink.listAddresses({ dev: defNic }, ctx.pod))
    .filter((a) => ctx.families.includes(a.family) && !isLinkLocal(a.ip))
    .map((a) => a.ip);

  if (configured === ctx.ifName) {
    for (const a of defAddrs) await ctx.nl.addRule({ from: hostPrefix(a), table: T }, ctx.pod);
  } else {
    for (const a of ctx.currentAddresses) await ctx.nl.addRule({ from: hostPrefix(a), table: T }, ctx.pod);
    if (ctx.decision.mode === 'overlay' && ctx.decision.firstInvoke) {
      for (const a of defAddrs) await ctx.nl.addRule({ from: hostPrefix(a), table: REPLY_TABLE }, ctx.pod);
      for (const r of mainRoutes.filter((x) => ownsDefault(x, defNic))) {
        await ctx.nl.addRoute(copySpec(r, REPLY_TABLE, r.nexthops ? { dev: defNic } : {}), ctx.pod);
      }
    }
  }

  for (const r of mainRoutes) {
    if (r.dst === 'fe80::/64') continue;
    if (r.nexthops && r.nexthops.length > 0) {
      // Multipath default: take this link's nexthop as a single-path default in T.
      const hop = r.nexthops.find((n) => n.dev === moveIf);
      if (!hop || !isDefaultDst(r.dst)) continue;
      const single: RouteSpec = {
        dst: r.dst,
        ...(hop.via ? { via: hop.via } : {}),
        dev: moveIf,
        ...(r.mtu ? { mtu: r.mtu } : {}),
      };
      await ctx.nl.addRoute({ ...single, table: T }, ctx.pod);
      await ctx.nl.moveAwayRoute({ ...single, table: MAIN_TABLE }, ctx.pod).catch((e: unknown) => {
        ctx.logger.warn(
          { dst: r.dst, err: (e as Error).message },
          'could not remove the multipath nexthop from main',
        );
      });
      continue;
    }
    if (r.dev !== moveIf) continue;
    await ctx.nl.addRoute(copySpec(r, T), ctx.pod);
    if (isDefaultDst(r.dst)) await ctx.nl.moveAwayRoute(copySpec(r, MAIN_TABLE), ctx.pod);
  }
}
