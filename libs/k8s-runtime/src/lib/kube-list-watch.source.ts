import {
  ApiException,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
  type ResponseContext,
} from '@kubernetes/client-node';
import { keepAliveKubeConfig } from './keep-alive-kube-config.js';
import type { KubeObject } from './object-key.js';
import type {
  ListResult,
  ListWatchSource,
  WatchEvent,
  WatchHandle,
  WatchHandlers,
} from './list-watch.port.js';

/** Which collection to list/watch. */
export interface ResourceRef {
  /** `v1`, `coordination.k8s.io/v1`, `spiderpool.spidernet.io/v2beta1`, ... */
  apiVersion: string;
  /** Lower-case plural resource name, e.g. `configmaps`, `spiderippools`. */
  plural: string;
  /** Restrict to one namespace; omit for all namespaces / cluster-scoped kinds. */
  namespace?: string;
}

export interface KubeListWatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** List page size (`limit`). Default 500. */
  pageSize?: number;
  /** Server-side watch timeout range in seconds; each watch picks a random value in it. Default [300, 600]. */
  watchTimeoutSeconds?: readonly [number, number];
  random?: () => number;
}

/** Collection path of a resource: `/api/v1/...` for the core group, `/apis/<group>/<version>/...` otherwise. */
export function collectionPath(ref: ResourceRef): string {
  const base = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  const ns = ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
  return `${base}${ns}/${ref.plural}`;
}

/**
 * `ListWatchSource` over client-node 2.x's HTTP stack (its auth, TLS and proxy handling via `KubeConfig`), kept
 * in wire form (plain JSON, RFC 3339 strings) so list and watch deliver the same object shape.
 * Chosen over client-node's `ListWatch` because that one passes only the new object to update handlers, stops
 * for good on any non-410 error, does not request bookmarks and has no sync signal (ADR 0007).
 */
export class KubeListWatchSource<T extends KubeObject> implements ListWatchSource<T> {
  private readonly http = new IsomorphicFetchHttpLibrary();
  private readonly path: string;
  private readonly kubeConfig: KubeConfig;

  constructor(
    kubeConfig: KubeConfig,
    resource: ResourceRef,
    private readonly options: KubeListWatchOptions = {},
  ) {
    // Lists and relists share the keep-alive pool; each open watch holds one of its connections.
    this.kubeConfig = keepAliveKubeConfig(kubeConfig);
    this.path = collectionPath(resource);
  }

  async list(signal: AbortSignal): Promise<ListResult<T>> {
    const items: T[] = [];
    let resourceVersion = '';
    let continueToken: string | undefined;
    do {
      const response = await this.request(
        {
          limit: String(this.options.pageSize ?? 500),
          ...(continueToken ? { continue: continueToken } : {}),
        },
        signal,
      );
      const body = JSON.parse(await response.body.text()) as {
        items?: T[];
        metadata?: { resourceVersion?: string; continue?: string };
      };
      items.push(...(body.items ?? []));
      resourceVersion = body.metadata?.resourceVersion ?? resourceVersion;
      continueToken = body.metadata?.continue || undefined;
    } while (continueToken);
    return { items, resourceVersion };
  }

  async watch(resourceVersion: string, handlers: WatchHandlers<T>): Promise<WatchHandle> {
    const [min, max] = this.options.watchTimeoutSeconds ?? [300, 600];
    const timeoutSeconds = Math.floor(min + (this.options.random ?? Math.random)() * (max - min));
    const abort = new AbortController();
    // Safety net for a silently dead connection: the server should have closed it at timeoutSeconds.
    const guard = setTimeout(() => abort.abort(), (timeoutSeconds + 30) * 1000);
    guard.unref();
    let stopped = false;
    let response: ResponseContext;
    try {
      response = await this.request(
        {
          watch: 'true',
          resourceVersion,
          allowWatchBookmarks: 'true',
          timeoutSeconds: String(timeoutSeconds),
        },
        abort.signal,
      );
    } catch (err) {
      clearTimeout(guard);
      throw err;
    }
    const stream = response.body.stream();
    if (!stream) {
      clearTimeout(guard);
      throw new Error('watch response has no body stream');
    }
    void this.pump(stream, handlers, abort.signal).then(
      () => {
        clearTimeout(guard);
        handlers.onClose();
      },
      (err: unknown) => {
        clearTimeout(guard);
        // Our own stop, or the guard firing, is a normal close; anything else is a failure.
        handlers.onClose(stopped || abort.signal.aborted ? undefined : err);
      },
    );
    return {
      stop: () => {
        stopped = true;
        abort.abort();
      },
    };
  }

  private async pump(
    stream: ReadableStream<Uint8Array>,
    handlers: WatchHandlers<T>,
    signal: AbortSignal,
  ): Promise<void> {
    const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
    const cancel = (): void => void reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', cancel, { once: true });
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (line) handlers.onEvent(toWatchEvent<T>(JSON.parse(line) as RawWatchEvent));
        }
      }
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  private async request(query: Record<string, string>, signal: AbortSignal): Promise<ResponseContext> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const url = new URL(cluster.server.replace(/\/$/, '') + this.path);
    for (const [k, v] of Object.entries({
      ...query,
      ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
      ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
    })) {
      url.searchParams.set(k, v);
    }
    const ctx = new RequestContext(url.toString(), HttpMethod.GET);
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setSignal(signal);
    await this.kubeConfig.applySecurityAuthentication(ctx);
    const response = await this.http.send(ctx).toPromise();
    if (response.httpStatusCode !== 200) {
      const body = await response.body.text().catch(() => '');
      throw new ApiException(response.httpStatusCode, `GET ${this.path} failed`, body, response.headers);
    }
    return response;
  }
}

interface RawWatchEvent {
  type: string;
  object: Record<string, unknown>;
}

function toWatchEvent<T extends KubeObject>(raw: RawWatchEvent): WatchEvent<T> {
  switch (raw.type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      return { type: raw.type, object: raw.object as T };
    case 'BOOKMARK':
      return {
        type: 'BOOKMARK',
        resourceVersion: String(
          (raw.object['metadata'] as { resourceVersion?: string } | undefined)?.resourceVersion ?? '',
        ),
      };
    default:
      return { type: 'ERROR', status: raw.object as { code?: number; reason?: string; message?: string } };
  }
}
