import { z } from 'zod';

/** The structural OpenAPI v3 subset a CRD `openAPIV3Schema` may use. */
export interface StructuralSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  enum?: readonly (string | number | boolean)[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  nullable?: boolean;
  properties?: Record<string, StructuralSchema>;
  required?: string[];
  additionalProperties?: StructuralSchema;
  items?: StructuralSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
}

/** Metadata keys that are copied from `.meta({...})` into the structural schema. */
const META_KEYS = [
  'description',
  'format',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-map-type',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
] as const;

export class UnsupportedSchemaError extends Error {
  readonly code = 'CRD_UNSUPPORTED_SCHEMA';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`cannot express ${path || '<root>'} as a structural schema: ${detail}`);
    this.name = 'UnsupportedSchemaError';
  }
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  keyType?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
  format?: string;
  checks?: readonly { _zod: { def: CheckDef } }[];
  defaultValue?: unknown;
  options?: readonly z.ZodType[];
}
interface CheckDef {
  check: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  pattern?: RegExp;
  format?: string;
}

function need<T>(value: T | undefined, path: string, what: string): T {
  if (value === undefined) throw new UnsupportedSchemaError(path, `zod definition lacks ${what}`);
  return value;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function metaOf(s: z.ZodType): Record<string, unknown> {
  return (z.globalRegistry.get(s) as Record<string, unknown> | undefined) ?? {};
}

interface Field {
  schema: StructuralSchema;
  optional: boolean;
}

/**
 * Converts a zod schema into the structural OpenAPI v3 subset accepted by kube-apiserver: no `$ref`, no
 * `additionalProperties: false`, every node typed, defaults only where structural rules allow them.
 * Keys of every emitted object are sorted, so the output is stable.
 */
export function toStructuralSchema(schema: z.ZodType, path = ''): StructuralSchema {
  return convert(schema, path).schema;
}

function convert(schema: z.ZodType, path: string): Field {
  const def = defOf(schema);
  const meta = metaOf(schema);
  let field: Field;
  switch (def.type) {
    case 'optional':
      field = { ...convert(need(def.innerType, path, 'innerType'), path), optional: true };
      break;
    case 'nullable':
      field = convert(need(def.innerType, path, 'innerType'), path);
      break;
    case 'default':
    case 'prefault': {
      const inner = convert(need(def.innerType, path, 'innerType'), path);
      const value = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
      const isEmptyObject = typeof value === 'object' && value !== null && Object.keys(value).length === 0;
      // An empty-object prefault only asks zod to apply nested defaults; the apiserver needs no default for it.
      field = {
        schema: def.type === 'prefault' && isEmptyObject ? inner.schema : { ...inner.schema, default: value },
        optional: true,
      };
      break;
    }
    case 'pipe':
      field = convert(need(def.in, path, 'in'), path);
      break;
    case 'string':
      field = { schema: withChecks({ type: 'string' }, def, path), optional: false };
      break;
    case 'boolean':
      field = { schema: { type: 'boolean' }, optional: false };
      break;
    case 'number': {
      const isInt = def.format === 'safeint' || def.format === 'int32' || def.format === 'uint32';
      const base: StructuralSchema = { type: isInt ? 'integer' : 'number' };
      if (def.format === 'int32') base.format = 'int32';
      field = { schema: withChecks(base, def, path), optional: false };
      break;
    }
    case 'literal':
    case 'enum': {
      const values = (def.type === 'enum' ? Object.values(need(def.entries, path, 'entries')) : need(def.values, path, 'values')) as (string | number | boolean)[];
      const kinds = new Set(values.map((v) => typeof v));
      if (kinds.size !== 1) throw new UnsupportedSchemaError(path, 'enum mixes value types');
      const kind = values.length > 0 ? typeof values[0] : 'string';
      const type: StructuralSchema['type'] =
        kind === 'string'
          ? 'string'
          : kind === 'boolean'
            ? 'boolean'
            : values.every((v) => Number.isInteger(v))
              ? 'integer'
              : 'number';
      field = { schema: { type, enum: values }, optional: false };
      break;
    }
    case 'array': {
      const items = convert(need(def.element, path, 'element'), `${path}[]`).schema;
      field = { schema: withChecks({ type: 'array', items }, def, path), optional: false };
      break;
    }
    case 'record': {
      const keyDef = defOf(need(def.keyType, path, 'keyType'));
      if (keyDef.type !== 'string') throw new UnsupportedSchemaError(path, 'record keys must be strings');
      field = {
        schema: { type: 'object', additionalProperties: convert(need(def.valueType, path, 'valueType'), `${path}.*`).schema },
        optional: false,
      };
      break;
    }
    case 'object': {
      const properties: Record<string, StructuralSchema> = {};
      const required: string[] = [];
      for (const [key, value] of Object.entries(need(def.shape, path, 'shape'))) {
        const child = convert(value, path ? `${path}.${key}` : key);
        properties[key] = child.schema;
        if (!child.optional) required.push(key);
      }
      const s: StructuralSchema = { type: 'object', properties };
      if (required.length > 0) s.required = required.sort();
      field = { schema: s, optional: false };
      break;
    }
    case 'any':
    case 'unknown':
      field = { schema: { 'x-kubernetes-preserve-unknown-fields': true }, optional: true };
      break;
    default:
      throw new UnsupportedSchemaError(path, `zod type "${def.type}" is not supported`);
  }
  const extra: Record<string, unknown> = {};
  for (const key of META_KEYS) if (meta[key] !== undefined) extra[key] = meta[key];
  return { schema: sortKeys({ ...field.schema, ...extra }) as StructuralSchema, optional: field.optional };
}

function withChecks(base: StructuralSchema, def: Def, path: string): StructuralSchema {
  const s = { ...base };
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    const isArray = base.type === 'array';
    switch (c.check) {
      case 'greater_than':
        s.minimum = need(c.value, path, 'value');
        if (c.inclusive === false) s.exclusiveMinimum = true;
        break;
      case 'less_than':
        s.maximum = need(c.value, path, 'value');
        if (c.inclusive === false) s.exclusiveMaximum = true;
        break;
      case 'min_length':
        if (isArray) s.minItems = need(c.minimum, path, 'minimum');
        else s.minLength = need(c.minimum, path, 'minimum');
        break;
      case 'max_length':
        if (isArray) s.maxItems = need(c.maximum, path, 'maximum');
        else s.maxLength = need(c.maximum, path, 'maximum');
        break;
      case 'string_format':
        if (c.format === 'regex' && c.pattern) s.pattern = c.pattern.source;
        else if (c.format) s.format = c.format;
        break;
      default:
        throw new UnsupportedSchemaError(path, `check "${c.check}" has no OpenAPI equivalent`);
    }
  }
  return s;
}

/** Recursively sorts object keys (array order is kept; `default`/`enum` values are left alone). */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => sortKeys(v)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    out[key] = key === 'default' || key === 'enum' ? v : sortKeys(v);
  }
  return out as T;
}
