// The CNI app's error hierarchy. Every error has a stable string `code` and an optional `cause`;
// callers branch on the class or the code, never on the message. The single mapper to the CNI
// wire error lives in spiderpool/cni-error.mapper.ts.
import type { AgentErrorCode } from '@spiderpool/agent-api';

export class PluginError extends Error {
  override readonly name: string = 'PluginError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A CNI wire error (`{cniVersion, code, msg, details}`), already carrying its numeric code. */
export class CniError extends PluginError {
  override readonly name = 'CniError';
  constructor(
    readonly cniCode: number,
    msg: string,
    readonly details = '',
    options?: { cause?: unknown },
  ) {
    super('CNI_ERROR', msg, options);
  }
}

/** The netconf on stdin failed validation; `issues` carry field paths. */
export class InvalidNetconfError extends PluginError {
  override readonly name = 'InvalidNetconfError';
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super('INVALID_NETCONF', message);
  }
}

/** Base of failures talking to the agent. `outcomeUnknown`: the request may have been applied. */
export class AgentCallError extends PluginError {
  override readonly name: string = 'AgentCallError';
  constructor(
    code: string,
    message: string,
    readonly outcomeUnknown: boolean,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** The agent socket could not be reached (nothing was sent). */
export class AgentUnavailableError extends AgentCallError {
  override readonly name = 'AgentUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('AGENT_UNAVAILABLE', message, false, options);
  }
}

/** The call exceeded its bound or the connection broke after the request was sent. */
export class AgentTimeoutError extends AgentCallError {
  override readonly name = 'AgentTimeoutError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('AGENT_TIMEOUT', message, true, options);
  }
}

/** The agent answered with its error model. */
export class AgentRejectedError extends AgentCallError {
  override readonly name = 'AgentRejectedError';
  constructor(
    readonly agentCode: AgentErrorCode,
    readonly httpStatus: number,
    message: string,
    readonly details?: unknown,
  ) {
    super('AGENT_REJECTED', message, false);
  }
}

/** The agent's answer did not follow the contract (bad status, body or schema). */
export class AgentProtocolError extends AgentCallError {
  override readonly name = 'AgentProtocolError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('AGENT_PROTOCOL', message, true, options);
  }
}

/** The agent's allocation holds no IP for the interface being added. */
export class NoInterfaceIpError extends PluginError {
  override readonly name = 'NoInterfaceIpError';
  constructor(ifName: string) {
    super('NO_INTERFACE_IP', `no Interface ${ifName} IP allocation found`);
  }
}

/** The agent is not healthy (STATUS, or the health check before ADD). */
export class AgentUnhealthyError extends PluginError {
  override readonly name = 'AgentUnhealthyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('AGENT_UNHEALTHY', message, options);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
