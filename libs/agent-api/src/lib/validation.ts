// Boundary validation shared by both sides: parse a wire value against a schema and turn zod issues
// into the INVALID_REQUEST error model (path + message per issue), never throwing zod's own error.
import type * as z from 'zod/mini';
import { AgentApiError, type AgentErrorCode } from './errors.js';

export interface FieldIssue {
  path: string;
  message: string;
}

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function parseWire<S extends z.ZodMiniType>(schema: S, value: unknown): ParseOutcome<z.infer<S>> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data as z.infer<S> };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({
      path: i.path.length ? i.path.join('.') : '(root)',
      message: i.message,
    })),
  };
}

export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

/** Parse or throw an AgentApiError (INVALID_REQUEST on the server, INTERNAL for a bad response on the client). */
export function parseWireOrThrow<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  what: string,
  code: AgentErrorCode = 'INVALID_REQUEST',
): z.infer<S> {
  const r = parseWire(schema, value);
  if (r.ok) return r.value;
  throw new AgentApiError(code, `invalid ${what}: ${formatIssues(r.issues)}`, r.issues);
}
