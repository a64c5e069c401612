// The one mapper from anything thrown inside the spiderpool plugin to a CNI wire error.
import type { AgentErrorCode } from '@spiderpool/agent-api';
import {
  AgentProtocolError,
  AgentRejectedError,
  AgentTimeoutError,
  AgentUnavailableError,
  AgentUnhealthyError,
  CniError,
  InvalidNetconfError,
  NoInterfaceIpError,
  errorMessage,
} from '../errors.js';
import { CNI_CODE } from '../skel/cni-codes.js';
import {
  DetectionFailedError,
  IpConflictError,
  UnreachableGatewayError,
} from '../detection/detection.errors.js';

/** Agent error code → CNI code. Transient conditions become 11 (try again later). */
export const AGENT_CODE_TO_CNI: Record<AgentErrorCode, number> = {
  MALFORMED_REQUEST: CNI_CODE.AGENT_PROTOCOL,
  INVALID_REQUEST: CNI_CODE.AGENT_PROTOCOL,
  ROUTE_NOT_FOUND: CNI_CODE.AGENT_PROTOCOL,
  METHOD_NOT_ALLOWED: CNI_CODE.AGENT_PROTOCOL,
  NOT_IMPLEMENTED: CNI_CODE.AGENT_PROTOCOL,
  AGENT_NOT_READY: CNI_CODE.TRY_AGAIN_LATER,
  POD_NOT_FOUND: CNI_CODE.POD_UNAVAILABLE,
  POD_NOT_ALIVE: CNI_CODE.POD_UNAVAILABLE,
  INVALID_ANNOTATION: CNI_CODE.INVALID_POD_ANNOTATION,
  POOL_NOT_FOUND: CNI_CODE.NO_AVAILABLE_POOL,
  NO_AVAILABLE_POOL: CNI_CODE.NO_AVAILABLE_POOL,
  IP_EXHAUSTED: CNI_CODE.IP_EXHAUSTED,
  RETRIES_EXHAUSTED: CNI_CODE.TRY_AGAIN_LATER,
  QUEUE_FULL: CNI_CODE.TRY_AGAIN_LATER,
  ENDPOINT_NOT_FOUND: CNI_CODE.AGENT_INTERNAL,
  ENDPOINT_UID_MISMATCH: CNI_CODE.AGENT_INTERNAL,
  COORDINATOR_NOT_FOUND: CNI_CODE.AGENT_INTERNAL,
  COORDINATOR_NOT_READY: CNI_CODE.TRY_AGAIN_LATER,
  RELEASE_FORBIDDEN_STATELESS: CNI_CODE.RELEASE_FORBIDDEN,
  RELEASE_FORBIDDEN_STATEFUL: CNI_CODE.RELEASE_FORBIDDEN,
  INTERNAL: CNI_CODE.AGENT_INTERNAL,
};

/** Context prefix added by the commands, kept in the message (e.g. `spiderpool IP allocation error`). */
export class ContextualError extends Error {
  override readonly name = 'ContextualError';
  constructor(
    readonly context: string,
    override readonly cause: unknown,
  ) {
    super(`${context}: ${errorMessage(cause)}`, { cause });
  }
}

export function toCniError(err: unknown): CniError {
  let inner = err;
  let prefix = '';
  if (err instanceof ContextualError) {
    inner = err.cause;
    prefix = `${err.context}: `;
  }
  const msg = `${prefix}${errorMessage(inner)}`;
  if (inner instanceof CniError) return prefix ? new CniError(inner.cniCode, msg, inner.details) : inner;
  if (inner instanceof InvalidNetconfError) {
    return new CniError(
      CNI_CODE.INVALID_NETCONF,
      msg,
      inner.issues.map((i) => `${i.path}: ${i.message}`).join('\n'),
    );
  }
  if (inner instanceof AgentRejectedError) {
    return new CniError(AGENT_CODE_TO_CNI[inner.agentCode], msg, inner.agentCode);
  }
  if (
    inner instanceof AgentUnavailableError ||
    inner instanceof AgentTimeoutError ||
    inner instanceof AgentUnhealthyError
  ) {
    return new CniError(CNI_CODE.TRY_AGAIN_LATER, msg, inner.code);
  }
  if (inner instanceof AgentProtocolError) return new CniError(CNI_CODE.AGENT_PROTOCOL, msg, inner.code);
  if (inner instanceof NoInterfaceIpError) return new CniError(CNI_CODE.NO_INTERFACE_IP, msg, inner.code);
  if (inner instanceof IpConflictError) return new CniError(CNI_CODE.IP_CONFLICT, msg, inner.code);
  if (inner instanceof UnreachableGatewayError) {
    return new CniError(CNI_CODE.GATEWAY_UNREACHABLE, msg, inner.code);
  }
  if (inner instanceof DetectionFailedError) {
    // details: the probe's own code (e.g. TOOL_MISSING, LINK_DOWN, NOT_READY) when it has one
    const cause = inner.cause as { code?: unknown } | undefined;
    return new CniError(CNI_CODE.UNEXPECTED, msg, typeof cause?.code === 'string' ? cause.code : inner.code);
  }
  return new CniError(CNI_CODE.UNEXPECTED, msg);
}
