import type { FieldError } from '@spiderpool/crd-types';

/**
 * What a validator decides when it rejects (crds.md §1.5): 422 with field causes, 403, or 409.
 * Validators return a Denial (or null to allow); they do not throw.
 */
export type Denial =
  | { readonly kind: 'invalid'; readonly causes: readonly FieldError[] }
  | { readonly kind: 'forbidden'; readonly reason: string }
  | { readonly kind: 'alreadyExists' };

export const invalid = (...causes: FieldError[]): Denial => ({ kind: 'invalid', causes });
export const forbidden = (reason: string): Denial => ({ kind: 'forbidden', reason });
export const alreadyExists = (): Denial => ({ kind: 'alreadyExists' });

/** Turn a possibly-empty error list into a Denial. */
export const invalidIfAny = (causes: readonly FieldError[]): Denial | null =>
  causes.length > 0 ? { kind: 'invalid', causes } : null;
