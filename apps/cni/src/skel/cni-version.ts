// CNI spec versions: comparison and the per-version rules the skel applies.
export const LATEST_CNI_VERSION = '1.1.0';

function parts(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** a ≥ b for semantic CNI versions. Invalid versions compare as lowest. */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = parts(a);
  const pb = parts(b);
  if (!pa || !pb) return false;
  for (const [i, x] of pa.entries()) {
    const y = pb[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** Result shape family: 0.3.0–0.4.0 share one shape (ips[].version), 1.x another. */
export function resultFamily(v: string): 'legacy' | 'v1' {
  return versionAtLeast(v, '1.0.0') ? 'v1' : 'legacy';
}
