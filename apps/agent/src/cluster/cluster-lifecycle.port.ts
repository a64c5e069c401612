/** Start/stop of the caches behind ClusterCache (informers in production, nothing in unit tests). */
export interface CacheLifecycle {
  start(): void;
  waitForSync(): Promise<void>;
  stop(): Promise<void>;
}

export const CACHE_LIFECYCLE = Symbol('CACHE_LIFECYCLE');
