// Field errors, the return value of every validator (HOUSE-STYLE §11), modelled on k8s `field.Error`. The pure
// rules live in ipam-core and return its `FieldError`; `fromCore` turns one into the admission cause type.
import type { FieldError as CoreFieldError, FieldErrorType as CoreFieldErrorType } from '@spiderpool/ipam-core';

export type FieldErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueForbidden'
  | 'FieldValueNotSupported'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'InternalError';

export interface FieldError {
  readonly path: string;
  readonly type: FieldErrorType;
  readonly detail: string;
  /** The offending value, printed in the message for Invalid / NotSupported. */
  readonly value?: unknown;
  /** Supported values, for NotSupported. */
  readonly supported?: readonly string[];
}

export const fieldInvalid = (path: string, value: unknown, detail: string): FieldError => ({
  path,
  type: 'FieldValueInvalid',
  value,
  detail,
});
export const fieldForbidden = (path: string, detail: string): FieldError => ({ path, type: 'FieldValueForbidden', detail });
export const fieldRequired = (path: string, detail: string): FieldError => ({ path, type: 'FieldValueRequired', detail });
export const fieldNotSupported = (path: string, value: unknown, supported: readonly string[]): FieldError => ({
  path,
  type: 'FieldValueNotSupported',
  value,
  supported,
  detail: '',
});
export const fieldInternal = (path: string, detail: string): FieldError => ({ path, type: 'InternalError', detail });

const CAUSE_TYPE: Readonly<Record<CoreFieldErrorType, FieldErrorType>> = {
  Invalid: 'FieldValueInvalid',
  Forbidden: 'FieldValueForbidden',
  NotSupported: 'FieldValueNotSupported',
  Required: 'FieldValueRequired',
  Duplicate: 'FieldValueDuplicate',
  Internal: 'InternalError',
};

/** An ipam-core rule's field error as an admission cause (k8s `metav1.CauseType`). */
export const fromCore = (e: CoreFieldError): FieldError => ({ ...e, type: CAUSE_TYPE[e.type] });

/** `fromCore` for an optional single error (the rule chains report the first failure only). */
export const fromCoreOrNull = (e: CoreFieldError | undefined): FieldError | null =>
  e === undefined ? null : fromCore(e);

function printValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The k8s `field.Error.Error()` text without the path: `Invalid value: "x": detail`. */
export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueInvalid':
      return `Invalid value: ${printValue(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${printValue(e.value)}: supported values: ${(e.supported ?? []).map((s) => JSON.stringify(s)).join(', ')}`;
    case 'FieldValueRequired':
      return `Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${printValue(e.value)}`;
    case 'FieldValueForbidden':
      return `Forbidden${e.detail ? `: ${e.detail}` : ''}`;
    case 'InternalError':
      return `Internal error: ${e.detail}`;
  }
}

export const fieldErrorText = (e: FieldError): string => `${e.path}: ${fieldErrorBody(e)}`;
