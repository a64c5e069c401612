/**
 * The closed error hierarchy of the controller runtime (house style §10).
 * Callers branch with `instanceof` or on `code`, never on message text.
 */
export type K8sRuntimeErrorCode =
  | 'TERMINAL'
  | 'CONFLICT_RETRIES_EXHAUSTED'
  | 'INFORMER_GAVE_UP'
  | 'INFORMER_STOPPED'
  | 'QUEUE_SHUT_DOWN'
  | 'LEADER_ELECTION';

export abstract class K8sRuntimeError extends Error {
  abstract readonly code: K8sRuntimeErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Thrown by a reconciler when retrying cannot help (bad user input, missing dependency the user must create).
 * The runtime logs it, calls the controller's `onTerminal` hook (status condition + Event) and does not retry.
 */
export class TerminalError extends K8sRuntimeError {
  readonly code = 'TERMINAL' as const;
  /** Machine-readable CamelCase reason for the status condition / Event, e.g. `InvalidSpec`. */
  readonly reason: string;

  constructor(message: string, options?: { cause?: unknown; reason?: string }) {
    super(message, options);
    this.reason = options?.reason ?? 'ReconcileFailed';
  }
}

/** `retryOnConflict` ran out of attempts; `cause` is the last conflict. */
export class ConflictRetriesExhaustedError extends K8sRuntimeError {
  readonly code = 'CONFLICT_RETRIES_EXHAUSTED' as const;
  readonly attempts: number;

  constructor(attempts: number, options?: { cause?: unknown }) {
    super(`update still conflicting after ${attempts} attempts`, options);
    this.attempts = attempts;
  }
}

/** An informer exceeded its consecutive-failure budget and stopped; `cause` is the last failure. */
export class InformerGaveUpError extends K8sRuntimeError {
  readonly code = 'INFORMER_GAVE_UP' as const;

  constructor(informer: string, failures: number, options?: { cause?: unknown }) {
    super(`informer ${informer} gave up after ${failures} consecutive failures`, options);
  }
}

/** The informer was stopped before it synced (e.g. shutdown while waiting for sync). */
export class InformerStoppedError extends K8sRuntimeError {
  readonly code = 'INFORMER_STOPPED' as const;

  constructor(informer: string) {
    super(`informer ${informer} stopped before it synced`);
  }
}

/** A leader-election API call failed in a way the elector cannot interpret (not a conflict). */
export class LeaderElectionError extends K8sRuntimeError {
  readonly code = 'LEADER_ELECTION' as const;
}
