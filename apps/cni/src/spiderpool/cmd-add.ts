// CNI ADD: health check, allocate through the agent, build the result for CNI_IFNAME.
// Rollback rule: if the agent may hold an allocation for this request (answer received, or outcome
// unknown after a timeout/broken connection) and ADD fails afterwards, every IP of the pod is
// released (DELETE /ipam/ips) before the error is returned. An agent error answer means the agent
// kept nothing (contract of postIpamIp), so nothing is released then.
// Between allocation and result: IP-conflict / gateway detection (spec §1.6, step 9; its errors are returned
// as they are, without the allocation-error prefix) and announcements (step 10, only logged on failure).
import type { IpamAddArgs, IpamAddResponse } from '@spiderpool/agent-api';
import {
  DetectionFailedError,
  IpConflictError,
  UnreachableGatewayError,
} from '../detection/detection.errors.js';
import { announceAddresses, detectIpConflicts } from '../detection/ip-detection.js';
import { AgentCallError, NoInterfaceIpError, errorMessage } from '../errors.js';
import { LOG_FIELD } from '../logging/log-fields.js';
import type { CniResult } from '../skel/cni-result.js';
import type { CmdArgs } from '../skel/plugin.port.js';
import { ContextualError } from './cni-error.mapper.js';
import type { SpiderpoolConf } from './netconf.schema.js';
import type { SpiderpoolPorts } from './ports.js';

export const ALLOCATION_ERROR = 'spiderpool IP allocation error';
export const UNHEALTHY_ERROR = 'unhealthy spiderpool-agent backend, failed to check';

export function addRequest(args: CmdArgs<SpiderpoolConf>): IpamAddArgs {
  return {
    containerID: args.containerId,
    netNamespace: args.netns,
    ifName: args.ifName,
    podName: args.cniArgs.podName,
    podNamespace: args.cniArgs.podNamespace,
    podUID: args.cniArgs.podUID,
    defaultIPv4IPPool: args.conf.defaultIPv4IPPool,
    defaultIPv6IPPool: args.conf.defaultIPv6IPPool,
    ...(args.conf.cleanGateway ? { cleanGateway: true } : {}),
    ...(args.conf.matchMasterSubnet ? { matchMasterSubnet: true } : {}),
  };
}

/** The CNI result for `ifName` out of an allocation covering every NIC of the pod. */
export function buildResult(resp: IpamAddResponse, ifName: string): CniResult {
  const ips = resp.ips.filter((ip) => ip.nic === ifName);
  if (ips.length === 0) throw new NoInterfaceIpError(ifName);
  const routes = (resp.routes ?? []).filter((r) => r.ifName === ifName);
  return {
    ips: ips.map((ip) => ({ address: ip.address, ...(ip.gateway ? { gateway: ip.gateway } : {}) })),
    ...(routes.length ? { routes: routes.map((r) => ({ dst: r.dst, ...(r.gw ? { gw: r.gw } : {}) })) } : {}),
    dns: resp.dns ?? {},
  };
}

export async function cmdAdd(args: CmdArgs<SpiderpoolConf>, ports: SpiderpoolPorts): Promise<CniResult> {
  const { agent, logger } = ports;
  try {
    await agent.healthy();
  } catch (e) {
    throw new ContextualError(UNHEALTHY_ERROR, e);
  }
  const request = addRequest(args);
  let resp: IpamAddResponse;
  try {
    resp = await agent.allocate(request);
  } catch (e) {
    if (e instanceof AgentCallError && e.outcomeUnknown) await rollback(args, ports, e);
    throw new ContextualError(ALLOCATION_ERROR, e);
  }
  logger.debug({ ips: resp.ips.length }, 'agent allocated');
  try {
    const result = buildResult(resp, args.ifName);
    const link = { netns: args.netns, ifName: args.ifName };
    await detectIpConflicts(resp, link, ports);
    await announceAddresses(resp, link, ports);
    logger.info({ ips: result.ips.map((i) => i.address) }, 'IPAM allocation succeeded');
    return result;
  } catch (e) {
    await rollback(args, ports, e);
    if (isDetectionError(e)) throw e;
    throw new ContextualError(ALLOCATION_ERROR, e);
  }
}

function isDetectionError(e: unknown): boolean {
  return (
    e instanceof IpConflictError || e instanceof UnreachableGatewayError || e instanceof DetectionFailedError
  );
}

/** Best-effort release of everything the pod holds; failure is logged and attached, never thrown. */
async function rollback(
  args: CmdArgs<SpiderpoolConf>,
  ports: SpiderpoolPorts,
  reason: unknown,
): Promise<void> {
  ports.logger.warn(
    { [LOG_FIELD.err]: errorMessage(reason) },
    'ADD failed after allocation, releasing the pod IPs',
  );
  try {
    await ports.agent.releaseAll({
      containerID: args.containerId,
      netNamespace: args.netns,
      podName: args.cniArgs.podName,
      podNamespace: args.cniArgs.podNamespace,
      podUID: args.cniArgs.podUID,
    });
  } catch (e) {
    ports.logger.error(
      { [LOG_FIELD.err]: errorMessage(e) },
      'rollback release failed; the IPs are left to GC',
    );
  }
}
