import type { z } from 'zod';
import {
  NetworkAttachmentDefinitionCrd,
  type NetworkAttachmentDefinition,
} from './network-attachment-definition.schema.js';
import { SpiderCoordinatorCrd, type SpiderCoordinator } from './spider-coordinator.schema.js';
import { SpiderEndpointCrd, type SpiderEndpoint } from './spider-endpoint.schema.js';
import { SpiderIPPoolCrd, type SpiderIPPool } from './spider-ippool.schema.js';
import { SpiderMultusConfigCrd, type SpiderMultusConfig } from './spider-multus-config.schema.js';
import { SpiderReservedIPCrd, type SpiderReservedIP } from './spider-reserved-ip.schema.js';
import { SpiderSubnetCrd, type SpiderSubnet } from './spider-subnet.schema.js';

/** Every kind this library defines, in a stable order (the generator writes them in this order). */
export const ALL_CRDS = [
  SpiderIPPoolCrd,
  SpiderSubnetCrd,
  SpiderReservedIPCrd,
  SpiderEndpointCrd,
  SpiderMultusConfigCrd,
  SpiderCoordinatorCrd,
  NetworkAttachmentDefinitionCrd,
] as const;

type AnyCrd = (typeof ALL_CRDS)[number];

/** Kind name → parsed object type. */
export interface ManifestByKind {
  SpiderIPPool: SpiderIPPool;
  SpiderSubnet: SpiderSubnet;
  SpiderReservedIP: SpiderReservedIP;
  SpiderEndpoint: SpiderEndpoint;
  SpiderMultusConfig: SpiderMultusConfig;
  SpiderCoordinator: SpiderCoordinator;
  NetworkAttachmentDefinition: NetworkAttachmentDefinition;
}
export type KnownKind = keyof ManifestByKind;
export type ManifestOf<K extends KnownKind> = ManifestByKind[K];
export type KnownManifest = { [K in KnownKind]: { readonly kind: K; readonly value: ManifestOf<K> } }[KnownKind];

export interface ManifestIssue {
  /** Dotted field path, array indexes in brackets: `spec.routes[0].gw`; empty for the root. */
  readonly path: string;
  readonly message: string;
}

export type ParseManifestResult =
  | ({ readonly ok: true } & KnownManifest)
  | { readonly ok: false; readonly issues: readonly ManifestIssue[] };

/** Renders a zod issue path as `spec.routes[0].gw`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function findCrd(apiVersion: unknown, kind: unknown): AnyCrd | undefined {
  return ALL_CRDS.find((c) => c.apiVersion === apiVersion && c.names.kind === kind);
}

/**
 * Validates one decoded manifest (a YAML/JSON object) against its kind's schema, dispatching by
 * apiVersion/kind. Defaults are applied as the apiserver would. Never throws.
 */
export function parseManifest(obj: unknown): ParseManifestResult {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    return { ok: false, issues: [{ path: '', message: 'expected an object' }] };
  }
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  const crd = findCrd(apiVersion, kind);
  if (!crd) {
    const known = ALL_CRDS.map((c) => `${c.apiVersion}/${c.names.kind}`).join(', ');
    return {
      ok: false,
      issues: [{ path: 'kind', message: `unknown kind ${String(apiVersion)}/${String(kind)}; known: ${known}` }],
    };
  }
  const parsed = (crd.schema as z.ZodType).safeParse(obj);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message })),
    };
  }
  return { ok: true, kind: crd.names.kind, value: parsed.data } as ParseManifestResult;
}
