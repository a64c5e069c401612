import type { z } from 'zod';

export type PrinterColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

/** One `additionalPrinterColumns` entry; list order is the `kubectl get` column order. */
export interface PrinterColumn {
  readonly name: string;
  readonly type: PrinterColumnType;
  readonly jsonPath: string;
  readonly description?: string;
  /** 0 (default) shows in `kubectl get`; 10 only with `-o wide`. */
  readonly priority?: number;
  readonly format?: string;
}

export interface CrdNames {
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
}

/**
 * `status`: a status subresource; `empty`: `subresources: {}` is written (upstream does so for some kinds
 * without one); `none`: the key is absent.
 */
export type SubresourceMode = 'status' | 'empty' | 'none';

/** The object schema of a kind: `apiVersion`, `kind`, `metadata` and optionally `spec` and `status`. */
export type KindObjectSchema = z.ZodObject<{
  apiVersion: z.ZodLiteral<string>;
  kind: z.ZodLiteral<string>;
  metadata: z.ZodType;
  spec?: z.ZodType;
  status?: z.ZodType;
}>;

/** Everything about one kind: its zod schema plus the CRD metadata that rides on it. */
export interface CrdDefinition<S extends KindObjectSchema = KindObjectSchema> {
  readonly group: string;
  readonly version: string;
  readonly names: CrdNames;
  readonly scope: 'Cluster' | 'Namespaced';
  readonly subresources: SubresourceMode;
  readonly printerColumns: readonly PrinterColumn[];
  /** Description of the root schema (our words). */
  readonly description: string;
  readonly schema: S;
}

export interface DefinedCrd<S extends KindObjectSchema = KindObjectSchema> extends CrdDefinition<S> {
  /** `<plural>.<group>`, the CRD object name. */
  readonly crdName: string;
  /** `<group>/<version>`. */
  readonly apiVersion: string;
}

export function defineCrd<S extends KindObjectSchema>(def: CrdDefinition<S>): DefinedCrd<S> {
  return Object.freeze({ ...def, crdName: `${def.names.plural}.${def.group}`, apiVersion: `${def.group}/${def.version}` });
}
