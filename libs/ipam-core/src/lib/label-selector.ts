import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '@spiderpool/crd-types';
import { InvalidSpecError } from './errors.js';
import type { LabelSelector } from './model.js';

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** RFC 1123 subdomain (lowercase, at most 253 characters), as used for object names and key prefixes. */
export const isDNS1123Subdomain = (text: string): boolean =>
  text.length <= 253 && DNS1123_SUBDOMAIN.test(text);

/** Kubernetes qualified name (`[prefix/]name`), as used for label keys. Returns a reason or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a qualified name must consist of an optional DNS subdomain prefix and a name';
  const name = parts[parts.length - 1] as string;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix === '' || !isDNS1123Subdomain(prefix)) return 'prefix part must be a lowercase RFC 1123 subdomain';
  }
  if (name === '' || name.length > 63 || !NAME.test(name)) {
    return "name part must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
  }
  return undefined;
}

/** Kubernetes label value (may be empty). Returns a reason or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '' || (value.length <= 63 && NAME.test(value))) return undefined;
  return "a label value must be empty or at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * LabelSelector validation (apimachinery `ValidateLabelSelector`, invalid label values not allowed): field errors
 * under `path`, matchExpressions first (operator/values, key, values), then matchLabels.
 */
export function validateLabelSelector(selector: LabelSelector, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          errors.push(fieldRequired(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errors.push(fieldForbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        break;
      default:
        errors.push(fieldNotSupported(`${at}.operator`, req.operator, OPERATORS));
    }
    const keyProblem = qualifiedNameProblem(req.key);
    if (keyProblem !== undefined) errors.push(fieldInvalid(`${at}.key`, req.key, keyProblem));
    values.forEach((v, j) => {
      const problem = labelValueProblem(v);
      if (problem !== undefined) errors.push(fieldInvalid(`${at}.values[${j}]`, v, problem));
    });
  });
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem !== undefined) errors.push(fieldInvalid(`${path}.matchLabels`, key, keyProblem));
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) errors.push(fieldInvalid(`${path}.matchLabels`, value, valueProblem));
  }
  return errors;
}

/**
 * Kubernetes selector semantics: every `matchLabels` pair must be present; `In` needs the key with one of the
 * values, `NotIn` matches an absent key or another value, `Exists`/`DoesNotExist` test the key only. An empty
 * selector matches everything. Throws InvalidSpecError for an invalid selector.
 */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const errors = validateLabelSelector(selector, 'selector');
  const first = errors[0];
  if (first !== undefined) {
    const value = first.value === undefined ? '' : `${String(first.value)}: `;
    throw new InvalidSpecError(`invalid label selector: ${first.path}: ${value}${first.detail}`, errors);
  }
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(labels[req.key] as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[req.key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      default:
        if (has) return false;
    }
  }
  return true;
}
