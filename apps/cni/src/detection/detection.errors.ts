// Errors of IP-conflict / gateway-reachability detection in the spiderpool IPAM plugin (spec §1.6).
// Only `IpConflictError` and `UnreachableGatewayError` mean "the allocation is unusable"; anything else that
// stops detection is a `DetectionFailedError` carrying the probe's typed error as `cause`.
import { PluginError } from '../errors.js';

/** Another node on the segment answers for the pod's IP. */
export class IpConflictError extends PluginError {
  override readonly name = 'IpConflictError';
  constructor(
    readonly ifName: string,
    readonly ip: string,
    readonly mac: string,
  ) {
    // upstream wording (operators grep for it), MAC included
    super(
      'IP_CONFLICT',
      `ip conflict: pod's interface ${ifName} with an conflicting ip ${ip}, ${ip} is located at ${mac}`,
    );
  }
}

/** The pool's gateway does not answer ARP / NDP from the pod's interface. */
export class UnreachableGatewayError extends PluginError {
  override readonly name = 'UnreachableGatewayError';
  constructor(
    readonly ifName: string,
    readonly ip: string,
    readonly gateway: string,
  ) {
    super('GATEWAY_UNREACHABLE', `gateway ${gateway} is unreachable from ${ip} on interface ${ifName}`);
  }
}

/** Detection could not run to a verdict (link not up, tool missing, link-local not ready, …). */
export class DetectionFailedError extends PluginError {
  override readonly name = 'DetectionFailedError';
  constructor(message: string, cause: unknown) {
    super('DETECTION_FAILED', `${message}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}
