/** Errors and field errors of the SpiderMultusConfig domain (house style §10, §11). */

/** One field-level problem; the same shape as ipam-core's, so the webhook maps both with one function. */
export interface FieldError {
  readonly path: string;
  readonly type: FieldErrorType;
  readonly detail: string;
  /** The offending value, for Invalid / NotSupported. */
  readonly value?: unknown;
  /** The supported values, for NotSupported. */
  readonly supported?: readonly string[];
}

export type FieldErrorType = 'Invalid' | 'Required' | 'NotSupported' | 'Forbidden' | 'Duplicate' | 'Internal';

export const fieldInvalid = (path: string, value: unknown, detail: string): FieldError => ({ path, type: 'Invalid', value, detail });
export const fieldForbidden = (path: string, detail: string): FieldError => ({ path, type: 'Forbidden', detail });
export const fieldRequired = (path: string, detail: string): FieldError => ({ path, type: 'Required', detail });
export const fieldNotSupported = (path: string, value: unknown, supported: readonly string[]): FieldError => ({
  path,
  type: 'NotSupported',
  value,
  supported,
  detail: '',
});

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
