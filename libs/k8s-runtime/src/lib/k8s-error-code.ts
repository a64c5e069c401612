import { httpStatusOf } from './list-watch.port.js';

/** Stable classification of API-server failures (the `reason` vocabulary of `meta/v1` Status). */
export type K8sErrorCode =
  | 'NotFound'
  | 'Conflict'
  | 'AlreadyExists'
  | 'Forbidden'
  | 'Unauthorized'
  | 'Invalid'
  | 'BadRequest'
  | 'Gone'
  | 'TooManyRequests'
  | 'Timeout'
  | 'ServerError'
  | 'Unknown';

const REASONS: ReadonlySet<string> = new Set([
  'NotFound',
  'Conflict',
  'AlreadyExists',
  'Forbidden',
  'Unauthorized',
  'Invalid',
  'BadRequest',
  'Gone',
  'TooManyRequests',
  'Timeout',
]);

/** The `reason` of the Status body: client-node 2.x puts the raw response text in `ApiException.body`. */
function statusReason(err: object): string | undefined {
  const body = (err as { body?: unknown }).body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const reason = (parsed as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * Classify an error thrown by client-node 2.x (`ApiException` with numeric `code` and a Status body), by our watch
 * stream (`statusCode`), or a plain Status object. The body's `reason` wins; the HTTP status is the fallback
 * (409 is `Conflict` unless the reason says `AlreadyExists`).
 */
export function k8sErrorCode(err: unknown): K8sErrorCode {
  if (typeof err !== 'object' || err === null) return 'Unknown';
  const reason = statusReason(err) ?? (err as { reason?: unknown }).reason;
  if (typeof reason === 'string' && REASONS.has(reason)) return reason as K8sErrorCode;
  if (reason === 'Expired') return 'Gone';
  const status = httpStatusOf(err);
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 504:
      return 'Timeout';
    case undefined:
      return 'Unknown';
    default:
      return status >= 500 ? 'ServerError' : 'Unknown';
  }
}

export const isNotFound = (err: unknown): boolean => k8sErrorCode(err) === 'NotFound';
export const isConflict = (err: unknown): boolean => k8sErrorCode(err) === 'Conflict';
export const isAlreadyExists = (err: unknown): boolean => k8sErrorCode(err) === 'AlreadyExists';
