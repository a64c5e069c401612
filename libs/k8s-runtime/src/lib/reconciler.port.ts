import type { Logger } from 'pino';
import type { ObjectKey } from './object-key.js';

export interface ReconcileContext {
  /** Child logger bound with controller, kind, namespace, name and reconcileId (LOG_FIELDS). */
  log: Logger;
  reconcileId: string;
  /** Aborted when the controller stops without draining (leadership lost): stop early, do not write. */
  signal: AbortSignal;
  /** Consecutive failed attempts for this key so far (0 on a fresh key). */
  retries: number;
}

export interface ReconcileResult {
  /** Reconcile this key again after that many milliseconds (level-based polling). */
  requeueAfterMs?: number;
}

/**
 * The one reconciler contract (house style §4). Outcomes:
 * - resolve `{}` → done (backoff for the key is reset);
 * - resolve `{ requeueAfterMs }` → reconcile again after that delay;
 * - throw `TerminalError` → logged, reported through the controller's `onTerminal` hook, not retried;
 * - throw anything else → retried with per-key exponential backoff.
 */
export interface Reconciler {
  reconcile(key: ObjectKey, ctx: ReconcileContext): Promise<ReconcileResult>;
}
