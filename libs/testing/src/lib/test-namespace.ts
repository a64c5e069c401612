import { randomBytes } from 'node:crypto';

/** A unique DNS-1123 label `<prefix>-<random>` (≤ 63 chars) for isolating a test's objects. */
export function testNamespace(prefix: string): string {
  const suffix = randomBytes(4).toString('hex');
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63 - suffix.length - 1)
      .replace(/-+$/g, '') || 't';
  return `${clean}-${suffix}`;
}
