import type { z } from 'zod';
import { InvalidSpecError } from './errors.js';

/** Field path of an annotation, as reported in `InvalidSpecError.fieldErrors`. */
export const annotationPath = (key: string): string => `metadata.annotations[${key}]`;

/** The error for a malformed annotation value; `owner` names the object carrying it (Pod unless said). */
export function wrongAnnotation(key: string, detail: string, owner = 'Pod'): InvalidSpecError {
  return new InvalidSpecError(`invalid format of ${owner} annotation '${key}': ${detail}`, [
    { path: annotationPath(key), type: 'Invalid', detail },
  ]);
}

/** Parses an annotation holding JSON against `schema`; malformed input is an InvalidSpecError on that key. */
export function parseAnnotationJson<T>(key: string, text: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw wrongAnnotation(key, 'not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw wrongAnnotation(key, parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}
