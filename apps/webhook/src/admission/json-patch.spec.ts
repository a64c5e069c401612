import { applyJsonPatch, createJsonPatch } from './json-patch.js';

describe('createJsonPatch (RFC 6902)', () => {
  it.each([
    [{ a: 1 }, { a: 1 }],
    [{ a: 1 }, { a: 2, b: { c: [1] } }],
    [{ metadata: { labels: { 'x/y~z': '1' } } }, { metadata: { labels: { 'x/y~z': '2' } } }],
    [{ spec: { ips: ['a', 'b'] } }, { spec: { ips: ['c'] } }],
    [{ spec: { ips: ['a', 'b'], gone: true } }, { spec: { ips: ['a', 'c'] } }],
  ])('patch from %j to %j round-trips', (from, to) => {
    const ops = createJsonPatch(from, to);
    expect(applyJsonPatch(from, ops)).toEqual(to);
    if (JSON.stringify(from) === JSON.stringify(to)) expect(ops).toEqual([]);
  });

  it('escapes ~ and / in keys', () => {
    expect(createJsonPatch({ m: {} }, { m: { 'a/b~c': 1 } })).toEqual([{ op: 'add', path: '/m/a~1b~0c', value: 1 }]);
  });
});
