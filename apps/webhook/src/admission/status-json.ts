/**
 * Parse a status field that holds a JSON object as text (`status.allocatedIPs`, `status.controlledIPPools`).
 * Absent or '' → {}; not a string, not JSON or not a JSON object → null.
 */
export function parseStatusJsonMap<T>(text: unknown): Record<string, T> | null {
  if (text === undefined || text === null || text === '') return {};
  if (typeof text !== 'string') return null;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    return v as Record<string, T>;
  } catch {
    return null;
  }
}
