import { AgentApiError, type AgentErrorCode } from '@spiderpool/agent-api';
import {
  IPConflictError,
  IPExhaustedError,
  InvalidSpecError,
  NoAvailablePoolError,
  ResourceVersionConflictError,
} from '@spiderpool/ipam-core';
import { AgentError, type AgentErrorCode as LocalCode } from '../errors.js';

const LOCAL: Record<LocalCode, AgentErrorCode> = {
  PodNotFound: 'POD_NOT_FOUND',
  PodNotAlive: 'POD_NOT_ALIVE',
  QueueFull: 'QUEUE_FULL',
  NotReady: 'AGENT_NOT_READY',
  EndpointNotFound: 'ENDPOINT_NOT_FOUND',
  EndpointUidMismatch: 'ENDPOINT_UID_MISMATCH',
  ReleaseForbiddenStateless: 'RELEASE_FORBIDDEN_STATELESS',
  ReleaseForbiddenStateful: 'RELEASE_FORBIDDEN_STATEFUL',
  AutoPoolNotReady: 'NO_AVAILABLE_POOL',
  TopControllerNotFound: 'INTERNAL',
  CoordinatorNotFound: 'COORDINATOR_NOT_FOUND',
  CoordinatorNotReady: 'COORDINATOR_NOT_READY',
};

/**
 * The agent's one error mapper (house style §10): typed errors → the agent-api error model. `code` is stable
 * (the CNI branches on it), `message` is the same text the pod Event carries, `details` the machine-readable part
 * (per-pool rejection reasons, field errors).
 */
export function toAgentApiError(err: unknown): AgentApiError {
  if (err instanceof AgentApiError) return err;
  // Several failures of one request (e.g. releases in two pools): typed by the first, worded by all.
  if (err instanceof AggregateError && err.errors.length > 0) {
    const first = toAgentApiError(err.errors[0]);
    return new AgentApiError(first.code, err.message, first.details, { cause: err });
  }
  if (err instanceof AgentError)
    return new AgentApiError(LOCAL[err.code], err.message, undefined, { cause: err });
  if (err instanceof NoAvailablePoolError) {
    const code =
      err.rejections.length > 0 && err.rejections.every((r) => r.reason === 'NotFound')
        ? 'POOL_NOT_FOUND'
        : 'NO_AVAILABLE_POOL';
    return new AgentApiError(code, err.message, { rejections: err.rejections }, { cause: err });
  }
  if (err instanceof IPExhaustedError)
    return new AgentApiError('IP_EXHAUSTED', err.message, { rejections: err.rejections }, { cause: err });
  if (err instanceof ResourceVersionConflictError) {
    return new AgentApiError('RETRIES_EXHAUSTED', err.message, { attempts: err.attempts }, { cause: err });
  }
  if (err instanceof InvalidSpecError) {
    return new AgentApiError(
      'INVALID_ANNOTATION',
      err.message,
      { fieldErrors: err.fieldErrors },
      { cause: err },
    );
  }
  if (err instanceof IPConflictError)
    return new AgentApiError('INTERNAL', err.message, { ip: err.ip, holder: err.holder }, { cause: err });
  return new AgentApiError('INTERNAL', err instanceof Error ? err.message : String(err), undefined, {
    cause: err,
  });
}
