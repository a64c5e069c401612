import type { SpiderIPPool } from '@spiderpool/crd-types';
import type { StoredPool } from '../cluster/cluster.port.js';

/** Live SpiderIPPool I/O (never the cache). `writeStatus` must send the object's resourceVersion (409 on a race). */
export interface IPPoolApi {
  read(name: string): Promise<StoredPool>;
  writeStatus(pool: SpiderIPPool): Promise<StoredPool>;
}

export const IPPOOL_API = Symbol('IPPOOL_API');
