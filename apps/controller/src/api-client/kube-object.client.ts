import {
  ApiException,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';
import { isNotFound, keepAliveKubeConfig } from '@spiderpool/k8s-runtime';
import type { ObjectClient, ObjectName, ResourceKind, WireObject } from './object-client.port.js';
import { objectPath } from './resource-kinds.js';

/**
 * `ObjectClient` over client-node 2.x's HTTP stack (auth/TLS from the KubeConfig) in wire form, so objects read
 * here have the same shape as informer cache objects (RFC 3339 strings, no Date conversion). Requests reuse one
 * keep-alive connection pool (`keepAliveKubeConfig`) instead of a TLS handshake per call.
 */
export class KubeObjectClient implements ObjectClient {
  private readonly http = new IsomorphicFetchHttpLibrary();
  private readonly kubeConfig: KubeConfig;

  constructor(kubeConfig: KubeConfig) {
    // Shares the keep-alive pool of every other client built from the same config (k8s-runtime).
    this.kubeConfig = keepAliveKubeConfig(kubeConfig);
  }

  async get<T extends WireObject>(kind: ResourceKind, name: ObjectName): Promise<T | undefined> {
    try {
      return (await this.send('GET', objectPath(kind, name.namespace, name.name))) as T;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async list<T extends WireObject>(
    kind: ResourceKind,
    options: { namespace?: string; labelSelector?: string } = {},
  ): Promise<T[]> {
    const items: T[] = [];
    let cont: string | undefined;
    do {
      const query: Record<string, string> = { limit: '500' };
      if (options.labelSelector) query['labelSelector'] = options.labelSelector;
      if (cont) query['continue'] = cont;
      const body = (await this.send('GET', objectPath(kind, options.namespace), undefined, query)) as {
        items?: T[];
        metadata?: { continue?: string };
      };
      items.push(...(body.items ?? []).map((i) => ({ apiVersion: kind.apiVersion, kind: kind.kind, ...i })));
      cont = body.metadata?.continue || undefined;
    } while (cont);
    return items;
  }

  async create<T extends WireObject>(kind: ResourceKind, obj: T): Promise<T> {
    return (await this.send('POST', objectPath(kind, obj.metadata.namespace), obj)) as T;
  }

  async replace<T extends WireObject>(kind: ResourceKind, obj: T): Promise<T> {
    return (await this.send('PUT', objectPath(kind, obj.metadata.namespace, obj.metadata.name), obj)) as T;
  }

  async replaceStatus<T extends WireObject>(kind: ResourceKind, obj: T): Promise<T> {
    return (await this.send('PUT', `${objectPath(kind, obj.metadata.namespace, obj.metadata.name)}/status`, obj)) as T;
  }

  async delete(
    kind: ResourceKind,
    name: ObjectName,
    options: { propagation?: 'Foreground' | 'Background' | 'Orphan'; uid?: string } = {},
  ): Promise<void> {
    const body = {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      ...(options.propagation ? { propagationPolicy: options.propagation } : {}),
      ...(options.uid ? { preconditions: { uid: options.uid } } : {}),
    };
    try {
      await this.send('DELETE', objectPath(kind, name.namespace, name.name), body);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, query: Record<string, string> = {}): Promise<unknown> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    const url = new URL(cluster.server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const ctx = new RequestContext(url.toString(), HttpMethod[method]);
    ctx.setHeaderParam('Accept', 'application/json');
    if (body !== undefined) {
      ctx.setHeaderParam('Content-Type', 'application/json');
      ctx.setBody(JSON.stringify(body));
    }
    await this.kubeConfig.applySecurityAuthentication(ctx);
    const response = await this.http.send(ctx).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode < 200 || response.httpStatusCode >= 300) {
      throw new ApiException(response.httpStatusCode, `${method} ${path} failed`, text, response.headers);
    }
    return text ? JSON.parse(text) : undefined;
  }
}
