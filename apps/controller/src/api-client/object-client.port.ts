import type { KubeObject } from '@spiderpool/k8s-runtime';

/** Which kind of object: group/version and lower-case plural (e.g. `spiderpool.spidernet.io/v2beta1`, `spiderippools`). */
export interface ResourceKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface ObjectName {
  readonly namespace?: string;
  readonly name: string;
}

/** A wire-form object (plain JSON as the API server sends it). */
export type WireObject = KubeObject & {
  metadata: NonNullable<KubeObject['metadata']> & {
    finalizers?: string[];
    creationTimestamp?: string | null;
    deletionGracePeriodSeconds?: number | null;
  } & Record<string, unknown>;
} & Record<string, unknown>;

/**
 * Uncached, typed-by-kind reads and writes against the API server (house style §16: writes carry the observed
 * `metadata.resourceVersion`, so a concurrent change fails with 409 Conflict). One port for every kind the
 * controller writes; `KubeObjectClient` is the HTTP implementation, `FakeObjectClient` the in-memory one.
 */
export interface ObjectClient {
  /** Live GET; `undefined` when NotFound. */
  get<T extends WireObject>(kind: ResourceKind, name: ObjectName): Promise<T | undefined>;
  list<T extends WireObject>(kind: ResourceKind, options?: { namespace?: string; labelSelector?: string }): Promise<T[]>;
  create<T extends WireObject>(kind: ResourceKind, obj: T): Promise<T>;
  /** PUT of the main resource (status ignored when the kind has a status subresource). */
  replace<T extends WireObject>(kind: ResourceKind, obj: T): Promise<T>;
  /** PUT of the `status` subresource. */
  replaceStatus<T extends WireObject>(kind: ResourceKind, obj: T): Promise<T>;
  /** DELETE; resolves when NotFound too. `propagation` defaults to the server's. */
  delete(
    kind: ResourceKind,
    name: ObjectName,
    options?: { propagation?: 'Foreground' | 'Background' | 'Orphan'; uid?: string },
  ): Promise<void>;
}
