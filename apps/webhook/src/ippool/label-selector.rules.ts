// IPP-V10 helpers: Kubernetes LabelSelector validation (apimachinery ValidateLabelSelector semantics).
import { fieldInvalid, fieldNotSupported, fieldRequired, fieldForbidden, type FieldError } from '../admission/field-error.js';

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const isDNS1123Subdomain = (s: string): boolean => s.length <= 253 && DNS1123_SUBDOMAIN.test(s);

export function qualifiedNameProblem(key: string): string | null {
  const parts = key.split('/');
  if (parts.length > 2) return 'a qualified name must consist of an optional DNS subdomain prefix and a name';
  const name = parts[parts.length - 1] ?? '';
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '' || !isDNS1123Subdomain(prefix)) return 'prefix part must be a lowercase RFC 1123 subdomain';
  }
  if (name === '' || name.length > 63 || !NAME.test(name)) {
    return "name part must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
  }
  return null;
}

export function labelValueProblem(value: string): string | null {
  if (value === '') return null;
  if (value.length > 63 || !NAME.test(value)) {
    return "a label value must be empty or at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
  }
  return null;
}

export function validateLabelSelector(sel: LabelSelector, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldRequired(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldForbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
        break;
      default:
        errs.push(fieldNotSupported(`${p}.operator`, expr.operator, ['In', 'NotIn', 'Exists', 'DoesNotExist']));
    }
    const kp = qualifiedNameProblem(expr.key);
    if (kp) errs.push(fieldInvalid(`${p}.key`, expr.key, kp));
    values.forEach((v, j) => {
      const vp = labelValueProblem(v);
      if (vp) errs.push(fieldInvalid(`${p}.values[${j}]`, v, vp));
    });
  });
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    const kp = qualifiedNameProblem(k);
    if (kp) errs.push(fieldInvalid(`${path}.matchLabels`, k, kp));
    const vp = labelValueProblem(v);
    if (vp) errs.push(fieldInvalid(`${path}.matchLabels`, v, vp));
  }
  return errs;
}
