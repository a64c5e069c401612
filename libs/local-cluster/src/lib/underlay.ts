import type { Logger } from 'pino';
import type { HostNetworkPort } from './host-network.port.js';
import type { RunNames } from './run-names.js';
import { hasIPv6, zoneGatewayAddresses, type Zone } from './topology.js';
import { LOG_FIELDS as F } from './log-fields.js';

/** What {@link Underlay.ensure} built, for wiring node CNI configs. */
export interface UnderlayLayout {
  routerNetns: string;
  zones: { zone: Zone; bridge: string }[];
}

/**
 * The simulated underlay: one address-less Linux bridge per zone in the root namespace, and one router namespace
 * joined to every zone bridge by a veth that carries the zone's gateway address. Forwarding is on only inside the
 * router namespace, which has no default route, so zones reach each other and nothing reaches the real network.
 */
export class Underlay {
  constructor(
    private readonly net: HostNetworkPort,
    private readonly names: RunNames,
    private readonly log: Logger,
  ) {}

  /** Idempotent: safe to call again with the same zones. */
  async ensure(zones: readonly Zone[]): Promise<UnderlayLayout> {
    const routerNetns = this.names.routerNetns;
    await this.net.ensureNetns(routerNetns);
    await this.net.enableForwarding(routerNetns, { ipv6: hasIPv6(zones) });
    const out: UnderlayLayout['zones'] = [];
    for (const [i, zone] of zones.entries()) {
      const bridge = this.names.zoneBridge(i);
      await this.net.ensureBridge(bridge);
      await this.net.ensureVethToNetns({
        hostEnd: this.names.uplink(i),
        bridge,
        peerEnd: this.names.routerLink(i),
        peerNetns: routerNetns,
        addresses: zoneGatewayAddresses(zone),
      });
      this.log.info(
        { [F.zone]: zone.name, [F.bridge]: bridge, [F.gateway]: zone.gateway },
        'underlay zone ready',
      );
      out.push({ zone, bridge });
    }
    return { routerNetns, zones: out };
  }

  /** Removes the router namespace and the zone bridges (and with them the uplink veths). */
  async destroy(zoneCount: number): Promise<void> {
    const errors: unknown[] = [];
    for (let i = 0; i < zoneCount; i++) {
      for (const link of [this.names.uplink(i), this.names.zoneBridge(i)]) {
        await this.net.deleteLink(link).catch((err: unknown) => errors.push(err));
      }
    }
    await this.net.deleteNetns(this.names.routerNetns).catch((err: unknown) => errors.push(err));
    if (errors.length > 0) throw new AggregateError(errors, 'underlay teardown incomplete');
  }
}
