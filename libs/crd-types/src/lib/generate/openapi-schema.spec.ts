import { z } from 'zod';
import { toStructuralSchema, UnsupportedSchemaError } from './openapi-schema.js';

describe('toStructuralSchema', () => {
  it('maps optional, defaults, int formats, bounds and metadata', () => {
    const schema = z.strictObject({
      name: z.string().meta({ description: 'n' }),
      mtu: z.int32().min(0).default(0),
      count: z.int().meta({ format: 'int64' }).optional(),
      mode: z.enum(['a', 'b']).default('a'),
      tags: z.array(z.string()).optional().meta({ 'x-kubernetes-list-type': 'atomic' }),
      labels: z.record(z.string(), z.string()).optional(),
    });
    expect(toStructuralSchema(schema)).toEqual({
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', description: 'n' },
        mtu: { type: 'integer', format: 'int32', minimum: 0, default: 0 },
        count: { type: 'integer', format: 'int64' },
        mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    });
  });

  it('never emits additionalProperties: false for strict objects', () => {
    expect(toStructuralSchema(z.strictObject({ a: z.boolean() }))).not.toHaveProperty('additionalProperties');
  });

  it('turns integer literals into an integer enum', () => {
    expect(toStructuralSchema(z.literal([4, 6]))).toEqual({ type: 'integer', enum: [4, 6] });
  });

  it('refuses shapes a structural schema cannot express', () => {
    expect(() => toStructuralSchema(z.object({ u: z.union([z.string(), z.number()]) }))).toThrow(
      UnsupportedSchemaError,
    );
    expect(() => toStructuralSchema(z.literal(['a', 1]))).toThrow(/mixes/);
  });
});
