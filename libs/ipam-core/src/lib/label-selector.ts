import { InvalidSpecError, type FieldError } from './errors.js';
import type { LabelSelector } from './model.js';

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes qualified name (`[prefix/]name`), as used for label keys. Returns a reason or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'a qualified name must have at most one "/"';
  const name = parts[parts.length - 1] as string;
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix.length === 0) return 'prefix part must be non-empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      return 'prefix part must be a DNS-1123 subdomain';
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!NAME.test(name)) return 'name part must consist of alphanumeric characters, "-", "_" or "."';
  return undefined;
}

/** Kubernetes label value (may be empty). Returns a reason or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!NAME.test(value))
    return 'a valid label value must consist of alphanumeric characters, "-", "_" or "."';
  return undefined;
}

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** LabelSelector validation with invalid label values not allowed (field errors under `path`). */
export function validateLabelSelector(selector: LabelSelector, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem !== undefined)
      errors.push({ path: `${path}.matchLabels`, type: 'Invalid', detail: `${key}: ${keyProblem}` });
    const valueProblem = labelValueProblem(value);
    if (valueProblem !== undefined) {
      errors.push({ path: `${path}.matchLabels`, type: 'Invalid', detail: `${value}: ${valueProblem}` });
    }
  }
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const keyProblem = qualifiedNameProblem(req.key);
    if (keyProblem !== undefined)
      errors.push({ path: `${at}.key`, type: 'Invalid', detail: `${req.key}: ${keyProblem}` });
    const values = req.values ?? [];
    if (!OPERATORS.has(req.operator)) {
      errors.push({
        path: `${at}.operator`,
        type: 'Invalid',
        detail: `not a valid selector operator: ${req.operator}`,
      });
    } else if ((req.operator === 'In' || req.operator === 'NotIn') && values.length === 0) {
      errors.push({
        path: `${at}.values`,
        type: 'Required',
        detail: 'must be specified when `operator` is In or NotIn',
      });
    } else if ((req.operator === 'Exists' || req.operator === 'DoesNotExist') && values.length > 0) {
      errors.push({
        path: `${at}.values`,
        type: 'Forbidden',
        detail: 'may not be specified when `operator` is Exists or DoesNotExist',
      });
    }
    values.forEach((v, j) => {
      const problem = labelValueProblem(v);
      if (problem !== undefined)
        errors.push({ path: `${at}.values[${j}]`, type: 'Invalid', detail: `${v}: ${problem}` });
    });
  });
  return errors;
}

/**
 * Kubernetes selector semantics: every `matchLabels` pair must be present; `In` needs the key with one of the
 * values, `NotIn` matches an absent key or another value, `Exists`/`DoesNotExist` test the key only. An empty
 * selector matches everything. Throws InvalidSpecError for an invalid selector.
 */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const errors = validateLabelSelector(selector, 'selector');
  if (errors.length > 0) throw new InvalidSpecError(`invalid label selector: ${errors[0]?.detail}`, errors);
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
