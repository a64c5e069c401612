import {
  decodeJsonAnnotation,
  IPPoolAnnotationSchema,
  IPPoolIPNumberAnnotationSchema,
  IPPoolsAnnotationSchema,
  SubnetsAnnotationSchema,
} from './annotations.schema.js';

describe('annotation value schemas', () => {
  it('decodes ipam.spidernet.io/ippool and ignores unknown keys', () => {
    expect(decodeJsonAnnotation(IPPoolAnnotationSchema, '{"ipv4":["a","b-*"],"x":1}')).toEqual({
      ok: true,
      value: { ipv4: ['a', 'b-*'] },
    });
  });

  it('defaults cleangateway to false in ipam.spidernet.io/ippools', () => {
    const r = decodeJsonAnnotation(IPPoolsAnnotationSchema, '[{"interface":"net1","ipv4":["b"]}]');
    expect(r).toEqual({ ok: true, value: [{ interface: 'net1', ipv4: ['b'], cleangateway: false }] });
  });

  it('reports invalid JSON and wrong types with a path', () => {
    expect(decodeJsonAnnotation(IPPoolAnnotationSchema, '{').ok).toBe(false);
    const r = decodeJsonAnnotation(SubnetsAnnotationSchema, '[{"interface":"eth0","ipv4":"s1"}]');
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['0.ipv4']);
  });

  it('accepts N and +N for ippool-ip-number only', () => {
    expect(['5', '+1'].map((v) => IPPoolIPNumberAnnotationSchema.safeParse(v).success)).toEqual([true, true]);
    expect(['-1', '++1', 'a', ''].map((v) => IPPoolIPNumberAnnotationSchema.safeParse(v).success)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
