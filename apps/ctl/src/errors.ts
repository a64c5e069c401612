/**
 * The closed error hierarchy of spiderpoolctl (house style §10) and its one edge mapper: error → exit code plus a
 * one-line message for stderr. Callers branch on `instanceof` or `code`, never on message text.
 */
import { IpamError } from '@spiderpool/ipam-core';
import { ConflictRetriesExhaustedError, k8sErrorCode } from '@spiderpool/k8s-runtime';

export abstract class CtlError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments. */
export class UsageError extends CtlError {
  readonly code = 'Usage';
}

/** The environment or kubeconfig is unusable. */
export class ConfigError extends CtlError {
  readonly code = 'Config';
}

/** `validate` found problems (already printed). */
export class ValidationFailedError extends CtlError {
  readonly code = 'ValidationFailed';

  constructor(readonly problems: number) {
    super(`${problems} problem(s) found`);
  }
}

/** A named object (pod, IP record) does not exist. */
export class NotFoundError extends CtlError {
  readonly code = 'NotFound';
}

/** `ip release` without `--force` on an IP whose pod still runs. */
export class PodStillRunningError extends CtlError {
  readonly code = 'PodStillRunning';
}

/** An API call failed (wraps the client error as `cause`). */
export class ClusterError extends CtlError {
  readonly code = 'Cluster';
}

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  notFound: 3,
  refused: 4,
  cluster: 5,
  internal: 70,
} as const;

/** The one mapper from a thrown value to an exit code and a one-line stderr message. */
export function mapError(err: unknown): { exitCode: number; message: string } {
  const line = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();
  if (err instanceof ValidationFailedError) return { exitCode: EXIT.failed, message: line(err.message) };
  if (err instanceof UsageError) return { exitCode: EXIT.usage, message: `usage: ${line(err.message)}` };
  if (err instanceof ConfigError) return { exitCode: EXIT.usage, message: `config: ${line(err.message)}` };
  if (err instanceof NotFoundError) return { exitCode: EXIT.notFound, message: `not found: ${line(err.message)}` };
  if (err instanceof PodStillRunningError) return { exitCode: EXIT.refused, message: `refused: ${line(err.message)}` };
  if (err instanceof ClusterError) return { exitCode: EXIT.cluster, message: `cluster: ${line(err.message)}` };
  if (err instanceof ConflictRetriesExhaustedError)
    return { exitCode: EXIT.cluster, message: `cluster: ${line(err.message)}` };
  if (err instanceof IpamError) return { exitCode: EXIT.failed, message: `${err.code}: ${line(err.message)}` };
  const k8s = k8sErrorCode(err);
  if (k8s !== 'Unknown') return { exitCode: EXIT.cluster, message: `cluster: ${k8s}: ${line(messageOf(err))}` };
  return { exitCode: EXIT.internal, message: `internal error: ${line(messageOf(err))}` };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
