import { toYamlStream } from './kubectl.js';
import { testNamespace } from './test-namespace.js';

describe('testNamespace', () => {
  it('makes unique DNS-1123 labels from any prefix', () => {
    const a = testNamespace('My_Suite: IPPool');
    const b = testNamespace('My_Suite: IPPool');
    expect(a).not.toBe(b);
    for (const n of [a, testNamespace('x'.repeat(100)), testNamespace('---')]) {
      expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(n.length).toBeLessThanOrEqual(63);
    }
    expect(a.startsWith('my-suite-ippool-')).toBe(true);
  });
});

describe('toYamlStream', () => {
  it('joins objects as YAML documents and passes text through', () => {
    expect(toYamlStream([{ kind: 'A' }, { kind: 'B' }])).toBe('kind: A\n---\nkind: B\n');
    expect(toYamlStream('kind: C\n')).toBe('kind: C\n');
  });
});
