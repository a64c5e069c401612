// The error model of the agent API: every non-2xx response carries `{ code, message, details? }`.
// `code` is stable (clients branch on it, never on `message`); the HTTP status is derived from it.
import * as z from 'zod/mini';

/** Stable error codes and the HTTP status each one is answered with. */
export const AGENT_ERROR_STATUS = {
  /** Malformed JSON body. */
  MALFORMED_REQUEST: 400,
  /** Body or query failed schema validation; `details` lists the issues. */
  INVALID_REQUEST: 422,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_IMPLEMENTED: 501,
  /** The agent has not synced its caches yet; retry later. */
  AGENT_NOT_READY: 503,
  POD_NOT_FOUND: 404,
  /** Pod is terminating or finished; no IP is handed out. */
  POD_NOT_ALIVE: 409,
  /** A pod/namespace annotation selecting pools or routes is malformed. */
  INVALID_ANNOTATION: 400,
  POOL_NOT_FOUND: 404,
  /** No pool selected, or every candidate was filtered out. */
  NO_AVAILABLE_POOL: 409,
  /** Every candidate pool is full. */
  IP_EXHAUSTED: 409,
  /** Optimistic-concurrency retries on a pool ran out. */
  RETRIES_EXHAUSTED: 503,
  /** The per-agent limiter queue is full. */
  QUEUE_FULL: 503,
  ENDPOINT_NOT_FOUND: 404,
  /** The SpiderEndpoint belongs to another incarnation of the pod. */
  ENDPOINT_UID_MISMATCH: 409,
  COORDINATOR_NOT_FOUND: 404,
  COORDINATOR_NOT_READY: 503,
  /** Batch release with `isReleaseConflictIPs` while the agent forbids it (upstream 521). */
  RELEASE_FORBIDDEN_STATELESS: 521,
  /** Batch release with `isReleaseConflictIPs` for a StatefulSet/KubeVirt pod (upstream 522). */
  RELEASE_FORBIDDEN_STATEFUL: 522,
  INTERNAL: 500,
} as const satisfies Record<string, number>;

export type AgentErrorCode = keyof typeof AGENT_ERROR_STATUS;
export const AGENT_ERROR_CODES = Object.keys(AGENT_ERROR_STATUS) as AgentErrorCode[];

export const AgentErrorBody = z.object({
  code: z.enum(AGENT_ERROR_CODES as [AgentErrorCode, ...AgentErrorCode[]]),
  message: z.string(),
  details: z.optional(z.unknown()),
});
export type AgentErrorBody = z.infer<typeof AgentErrorBody>;

/** Base class of errors raised by code that speaks the agent API (client or server side). */
export class AgentApiError extends Error {
  override readonly name: string = 'AgentApiError';
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return AGENT_ERROR_STATUS[this.code];
  }

  toBody(): AgentErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
