import type { SpiderEndpoint } from '@spiderpool/crd-types';

/** Live SpiderEndpoint I/O. Writes carry the resourceVersion; create fails with AlreadyExists, replace with 409. */
export interface EndpointApi {
  read(namespace: string, name: string): Promise<SpiderEndpoint | undefined>;
  create(endpoint: SpiderEndpoint): Promise<SpiderEndpoint>;
  replace(endpoint: SpiderEndpoint): Promise<SpiderEndpoint>;
  /** Idempotent: a missing object is not an error. */
  delete(namespace: string, name: string): Promise<void>;
}

export const ENDPOINT_API = Symbol('ENDPOINT_API');
