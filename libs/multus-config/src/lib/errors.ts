/** Errors of the SpiderMultusConfig domain (house style §10); field errors are `@spiderpool/crd-types`' `FieldError`. */

/** Base of the SpiderMultusConfig errors: a stable `code`, an optional `cause`. */
export abstract class MultusConfigError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The SMC cannot be rendered into a NAD (input the validating webhook rejects); `path` names the field. */
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
