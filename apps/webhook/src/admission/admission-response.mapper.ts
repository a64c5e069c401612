// The one mapper from validator decisions and typed errors to an AdmissionResponse (HOUSE-STYLE §10).
import { fieldErrorBody, fieldErrorText, type FieldErrorType } from '@spiderpool/crd-types';
import type { AdmissionResponse, AdmissionStatus } from './admission-review.schema.js';
import type { Denial } from './denial.js';
import { SPIDERPOOL_GROUP } from './kind-webhook.js';
import { WebhookError } from './errors.js';

export interface DenialSubject {
  readonly uid: string;
  readonly kind: string;
  readonly resource: string;
  readonly name: string;
}

export function allow(uid: string, patch?: readonly unknown[]): AdmissionResponse {
  if (patch === undefined || patch.length === 0) return { uid, allowed: true };
  return { uid, allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') };
}

/** k8s `metav1.CauseType` of each field-error type (the `FieldValue…` strings `field.ErrorType` carries). */
const CAUSE_TYPE: Readonly<Record<FieldErrorType, string>> = {
  Invalid: 'FieldValueInvalid',
  Required: 'FieldValueRequired',
  NotSupported: 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  Duplicate: 'FieldValueDuplicate',
  TooLong: 'FieldValueTooLong',
  Internal: 'InternalError',
};

function denialStatus(d: Denial, s: DenialSubject): AdmissionStatus {
  switch (d.kind) {
    case 'invalid': {
      const texts = d.causes.map(fieldErrorText);
      const joined = texts.length === 1 ? (texts[0] as string) : `[${texts.join(', ')}]`;
      return {
        metadata: {},
        status: 'Failure',
        reason: 'Invalid',
        code: 422,
        message: `${s.kind}.${SPIDERPOOL_GROUP} "${s.name}" is invalid: ${joined}`,
        details: {
          name: s.name,
          group: SPIDERPOOL_GROUP,
          kind: s.kind,
          causes: d.causes.map((c) => ({
            reason: CAUSE_TYPE[c.type],
            message: fieldErrorBody(c),
            field: c.path,
          })),
        },
      };
    }
    case 'forbidden':
      return {
        metadata: {},
        status: 'Failure',
        reason: 'Forbidden',
        code: 403,
        message: `${s.resource}.${SPIDERPOOL_GROUP} "${s.name}" is forbidden: ${d.reason}`,
        details: { name: s.name, group: SPIDERPOOL_GROUP, kind: s.resource },
      };
    case 'alreadyExists':
      return {
        metadata: {},
        status: 'Failure',
        reason: 'AlreadyExists',
        code: 409,
        message: `${s.resource}.${SPIDERPOOL_GROUP} "${s.name}" already exists`,
        details: { name: s.name, group: SPIDERPOOL_GROUP, kind: s.resource },
      };
  }
}

export function deny(d: Denial, s: DenialSubject): AdmissionResponse {
  return { uid: s.uid, allowed: false, status: denialStatus(d, s) };
}

/** An unexpected failure inside a handler: rejected (failurePolicy Fail semantics), code 500. */
export function failure(uid: string, err: unknown): AdmissionResponse {
  const message =
    err instanceof WebhookError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  return {
    uid,
    allowed: false,
    status: { metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: `internal webhook error: ${message}` },
  };
}
