/**
 * The one field-error shape of the project (house style §11), modelled on k8s `field.Error`: every validator —
 * ipam-core's pure rules, multus-config's SMC rules, the webhook's cluster-state checks, the CLI — returns a list of
 * these. Each edge maps them once (the webhook to admission causes, the CLI to lines of text).
 */

/** k8s `field.ErrorType`, without the `FieldValue` prefix the admission cause type adds. */
export type FieldErrorType = 'Invalid' | 'Required' | 'NotSupported' | 'Forbidden' | 'Duplicate' | 'TooLong' | 'Internal';

/** One field-level problem. */
export interface FieldError {
  /** The field path, e.g. `spec.ips[1]`. */
  readonly path: string;
  readonly type: FieldErrorType;
  readonly detail: string;
  /** The offending value (k8s `BadValue`), for Invalid / NotSupported / Duplicate / TooLong. */
  readonly value?: unknown;
  /** The supported values, for NotSupported. */
  readonly supported?: readonly string[];
}

export const fieldInvalid = (path: string, value: unknown, detail: string): FieldError => ({
  path,
  type: 'Invalid',
  value,
  detail,
});

export const fieldRequired = (path: string, detail: string): FieldError => ({ path, type: 'Required', detail });

export const fieldNotSupported = (path: string, value: unknown, supported: readonly string[]): FieldError => ({
  path,
  type: 'NotSupported',
  value,
  supported,
  detail: '',
});

export const fieldForbidden = (path: string, detail: string): FieldError => ({ path, type: 'Forbidden', detail });

export const fieldDuplicate = (path: string, value: unknown): FieldError => ({ path, type: 'Duplicate', value, detail: '' });

/** `maxLength` in bytes; a negative one means "unknown limit", as in k8s. */
export const fieldTooLong = (path: string, value: unknown, maxLength: number): FieldError => ({
  path,
  type: 'TooLong',
  value,
  detail:
    maxLength >= 0 ? `may not be more than ${maxLength} ${maxLength === 1 ? 'byte' : 'bytes'}` : 'value is too long',
});

export const fieldInternal = (path: string, detail: string): FieldError => ({ path, type: 'Internal', detail });

function printValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const withDetail = (head: string, detail: string): string => (detail ? `${head}: ${detail}` : head);

/** The k8s `field.Error.ErrorBody()` text (no path): `Invalid value: "x": detail`. */
export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case 'Invalid':
      return withDetail(`Invalid value: ${printValue(e.value)}`, e.detail);
    case 'NotSupported':
      return `Unsupported value: ${printValue(e.value)}: supported values: ${(e.supported ?? []).map((s) => JSON.stringify(s)).join(', ')}`;
    case 'Required':
      return withDetail('Required value', e.detail);
    case 'Duplicate':
      return withDetail(`Duplicate value: ${printValue(e.value)}`, e.detail);
    case 'TooLong':
      return withDetail('Too long', e.detail);
    case 'Forbidden':
      return withDetail('Forbidden', e.detail);
    case 'Internal':
      return `Internal error: ${e.detail}`;
  }
}

/** The k8s `field.Error.Error()` text: `<path>: <body>`. */
export const fieldErrorText = (e: FieldError): string => `${e.path}: ${fieldErrorBody(e)}`;
