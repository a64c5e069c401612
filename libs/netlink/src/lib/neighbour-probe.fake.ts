/**
 * In-memory `NeighbourProbe` for unit tests: a table of who answers for which IP on the segment, reachable
 * gateways, injected failures, and a log of every call (with its namespace and link) in call order.
 */
import { ProbeToolMissingError } from './errors.js';
import type {
  AddressConflictResult,
  AddressProbeSpec,
  GatewayProbeResult,
  GatewayProbeSpec,
  NeighbourProbe,
} from './neighbour-probe.port.js';
import { normaliseAddressProbe, normaliseGatewayProbe } from './neighbour-probe.schemas.js';

export type NeighbourProbeCall =
  | {
      readonly op: 'conflict';
      readonly netns: string | undefined;
      readonly ifName: string;
      readonly ip: string;
    }
  | {
      readonly op: 'gateway';
      readonly netns: string | undefined;
      readonly ifName: string;
      readonly ip: string;
      readonly gateway: string;
    }
  | {
      readonly op: 'announce';
      readonly netns: string | undefined;
      readonly ifName: string;
      readonly ip: string;
    };

type Op = NeighbourProbeCall['op'];

export class FakeNeighbourProbe implements NeighbourProbe {
  readonly calls: NeighbourProbeCall[] = [];
  /** IP (canonical text) → MAC of another node answering for it on the segment. */
  private readonly holders = new Map<string, string>();
  private readonly failures = new Map<string, Error>();
  private missingTools = false;

  /** Another node answers ARP/NDP for `ip` with `mac` (a conflict for the pod, or a live gateway). */
  answer(ip: string, mac: string): this {
    this.holders.set(normaliseAddressProbe({ ifName: 'x', ip }).ip, mac.toLowerCase());
    return this;
  }

  /** The next and all later `op` calls for `ip` (or for any IP when omitted) reject with `err`. */
  failOn(op: Op, err: Error, ip?: string): this {
    this.failures.set(`${op} ${ip === undefined ? '*' : normaliseAddressProbe({ ifName: 'x', ip }).ip}`, err);
    return this;
  }

  /** Behave like a node without arping/ndisc6. */
  withoutTools(): this {
    this.missingTools = true;
    return this;
  }

  async probeAddressConflict(spec: AddressProbeSpec): Promise<AddressConflictResult> {
    const p = normaliseAddressProbe(spec);
    this.calls.push({ op: 'conflict', netns: p.netns, ifName: p.ifName, ip: p.ip });
    await Promise.resolve();
    this.maybeFail('conflict', p.family, p.ip);
    const mac = this.holders.get(p.ip);
    return mac === undefined ? { conflict: false } : { conflict: true, mac };
  }

  async probeGateway(spec: GatewayProbeSpec): Promise<GatewayProbeResult> {
    const p = normaliseGatewayProbe(spec);
    this.calls.push({ op: 'gateway', netns: p.netns, ifName: p.ifName, ip: p.ip, gateway: p.gateway });
    await Promise.resolve();
    this.maybeFail('gateway', p.family, p.gateway);
    const mac = this.holders.get(p.gateway);
    return mac === undefined ? { reachable: false } : { reachable: true, mac };
  }

  async announce(spec: AddressProbeSpec): Promise<void> {
    const p = normaliseAddressProbe(spec);
    this.calls.push({ op: 'announce', netns: p.netns, ifName: p.ifName, ip: p.ip });
    await Promise.resolve();
    this.maybeFail('announce', p.family, p.ip);
  }

  private maybeFail(op: Op, family: 4 | 6, ip: string): void {
    if (this.missingTools) {
      throw family === 4
        ? new ProbeToolMissingError('arping', 'iputils-arping')
        : new ProbeToolMissingError('ndisc6', 'ndisc6');
    }
    const err = this.failures.get(`${op} ${ip}`) ?? this.failures.get(`${op} *`);
    if (err) throw err;
  }
}
