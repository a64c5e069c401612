/** Errors of the SpiderMultusConfig controller (house style §10): a stable `code`, an optional `cause`. */
export type MultusConfigErrorCode = 'INVALID_SPEC' | 'NAD_TERMINATING' | 'NAD_OWNED_ELSEWHERE';

export abstract class MultusConfigError extends Error {
  abstract readonly code: MultusConfigErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The SMC cannot be rendered into a NAD (input the webhook should have rejected); `path` names the field. */
export class InvalidSpecError extends MultusConfigError {
  readonly code = 'INVALID_SPEC' as const;

  constructor(
    readonly path: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${detail}`, options);
  }
}

/** The target NAD exists and is being deleted; retried until it is gone. */
export class NadTerminatingError extends MultusConfigError {
  readonly code = 'NAD_TERMINATING' as const;
}

/** The target NAD is controlled by another SpiderMultusConfig; the user must pick another name. */
export class NadOwnedElsewhereError extends MultusConfigError {
  readonly code = 'NAD_OWNED_ELSEWHERE' as const;
}
