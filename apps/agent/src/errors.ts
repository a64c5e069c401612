/**
 * The agent's own typed errors (house style §10). Domain failures come from `@spiderpool/ipam-core`
 * (NoAvailablePoolError, IPExhaustedError, IPConflictError, ResourceVersionConflictError, InvalidSpecError); the
 * ones below are the agent's shell failures. `ipam/agent-error.mapper.ts` is the one place that turns any of them
 * into the agent-api error model.
 */
export type AgentErrorCode =
  | 'PodNotFound'
  | 'PodNotAlive'
  | 'QueueFull'
  | 'NotReady'
  | 'EndpointNotFound'
  | 'EndpointUidMismatch'
  | 'ReleaseForbiddenStateless'
  | 'ReleaseForbiddenStateful'
  | 'AutoPoolNotReady'
  | 'TopControllerNotFound'
  | 'CoordinatorNotFound'
  | 'CoordinatorNotReady';

export abstract class AgentError extends Error {
  abstract readonly code: AgentErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class PodNotFoundError extends AgentError {
  readonly code = 'PodNotFound' as const;
}

/** Terminating or finished pod: no IP is handed out (ipam.md §4.2 step 2). */
export class PodNotAliveError extends AgentError {
  readonly code = 'PodNotAlive' as const;
}

/** Too many requests waiting for one pool's write (upstream limiter "queue is full"). */
export class QueueFullError extends AgentError {
  readonly code = 'QueueFull' as const;
}

/** Informers have not synced yet. */
export class NotReadyError extends AgentError {
  readonly code = 'NotReady' as const;
}

export class EndpointNotFoundError extends AgentError {
  readonly code = 'EndpointNotFound' as const;
}

export class EndpointUidMismatchError extends AgentError {
  readonly code = 'EndpointUidMismatch' as const;
}

/** Batch release with `isReleaseConflictIPs` while `SPIDERPOOL_ENABLED_RELEASE_CONFLICT_IPS` is false (521). */
export class ReleaseForbiddenStatelessError extends AgentError {
  readonly code = 'ReleaseForbiddenStateless' as const;
}

/** Batch release with `isReleaseConflictIPs` for a StatefulSet pod (522). */
export class ReleaseForbiddenStatefulError extends AgentError {
  readonly code = 'ReleaseForbiddenStateful' as const;
}

/** The controller has not (yet) created the SpiderSubnet auto pool this pod needs (ipam.md §7.4). */
export class AutoPoolNotReadyError extends AgentError {
  readonly code = 'AutoPoolNotReady' as const;
}

/** An owner (ReplicaSet, Job, StatefulSet) of the pod could not be read. */
export class TopControllerNotFoundError extends AgentError {
  readonly code = 'TopControllerNotFound' as const;
}

export class CoordinatorNotFoundError extends AgentError {
  readonly code = 'CoordinatorNotFound' as const;
}

export class CoordinatorNotReadyError extends AgentError {
  readonly code = 'CoordinatorNotReady' as const;
}
