import type { KubeObject } from './object-key.js';

/** Status carried by a watch `ERROR` event (a `meta/v1` Status). */
export interface WatchErrorStatus {
  code?: number;
  reason?: string;
  message?: string;
}

export type WatchEvent<T extends KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { type: 'BOOKMARK'; resourceVersion: string }
  | { type: 'ERROR'; status: WatchErrorStatus };

export interface ListResult<T extends KubeObject> {
  items: T[];
  resourceVersion: string;
}

export interface WatchHandlers<T extends KubeObject> {
  onEvent(event: WatchEvent<T>): void;
  /** Called exactly once when the stream ends: `err` undefined for a normal close (server timeout). */
  onClose(err?: unknown): void;
}

export interface WatchHandle {
  stop(): void;
}

/**
 * The two API calls an informer needs, as a port: the client-node implementation talks HTTP to the API server,
 * the fake (`list-watch.fake.ts`) is scripted by tests.
 */
export interface ListWatchSource<T extends KubeObject> {
  /** A consistent list (all pages) with the collection's resourceVersion. */
  list(signal: AbortSignal): Promise<ListResult<T>>;
  /** Open a watch from `resourceVersion`; rejects (or closes with an error) when it cannot be opened. */
  watch(resourceVersion: string, handlers: WatchHandlers<T>): Promise<WatchHandle>;
}

/** HTTP status of an error thrown by a source (client-node `ApiException.code`, watch `statusCode`). */
export function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; statusCode?: unknown };
  if (typeof e.code === 'number') return e.code;
  if (typeof e.statusCode === 'number') return e.statusCode;
  return undefined;
}
