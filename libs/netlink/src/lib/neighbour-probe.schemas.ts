/**
 * Input checks shared by every `NeighbourProbe` implementation, so that the tool-based adapter and the fake
 * reject the same requests with the same `InvalidArgumentError` before anything runs.
 */
import { InvalidArgumentError } from './errors.js';
import { parseIp } from './ip-prefix.js';
import type { IpFamily } from './ip-prefix.js';
import type { AddressProbeSpec, GatewayProbeSpec } from './neighbour-probe.port.js';
import { checkLinkName, checkNetnsPath } from './netlink.schemas.js';

export interface NormalAddressProbe {
  readonly netns: string | undefined;
  readonly ifName: string;
  readonly family: IpFamily;
  /** Canonical text of the address. */
  readonly ip: string;
}

export interface NormalGatewayProbe extends NormalAddressProbe {
  readonly gateway: string;
}

export function normaliseAddressProbe(spec: AddressProbeSpec): NormalAddressProbe {
  const ip = parseIp(spec.ip);
  if (ip === undefined) throw new InvalidArgumentError('ip', `not an IP address: ${spec.ip}`);
  return {
    netns: spec.netns === undefined ? undefined : checkNetnsPath(spec.netns),
    ifName: checkLinkName(spec.ifName, 'ifName'),
    family: ip.family,
    ip: ip.text,
  };
}

export function normaliseGatewayProbe(spec: GatewayProbeSpec): NormalGatewayProbe {
  const base = normaliseAddressProbe(spec);
  const gw = parseIp(spec.gateway);
  if (gw === undefined) throw new InvalidArgumentError('gateway', `not an IP address: ${spec.gateway}`);
  if (gw.family !== base.family) {
    throw new InvalidArgumentError(
      'gateway',
      `IPv${gw.family} gateway ${gw.text} for IPv${base.family} ${base.ip}`,
    );
  }
  return { ...base, gateway: gw.text };
}
