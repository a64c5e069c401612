import { ApiException, CustomObjectsApi, KubeConfig, type RequestContext } from '@kubernetes/client-node';
import type { KubeObject } from '../admission/kind-webhook.js';
import { ClusterReadError } from '../admission/errors.js';
import type { ClusterReader, LabelSelectorTerm, ReadOptions } from './cluster-reader.port.js';

const GROUP = 'spiderpool.spidernet.io';

/**
 * Retry 429 (e.g. "storage is (re)initializing" right after a CRD is installed) and 5xx a few times, inside the
 * API server's 5 s webhook timeout: 3 attempts, 250 ms then 500 ms apart.
 */
async function withRetry<T>(call: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (err) {
      const retriable = err instanceof ApiException && (err.code === 429 || err.code >= 500);
      if (!retriable || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 250 * i));
    }
  }
}
const VERSION = 'v2beta1';

/**
 * A KubeConfig that reuses one connection pool. client-node 2.0.1 builds a new undici Agent for every request
 * (a new TCP + TLS connection, and the credential files re-read), which cost ~50 ms per live read in the bench.
 * Auth headers are still applied per request, so rotating bearer tokens keep working.
 */
export class PooledKubeConfig extends KubeConfig {
  private pooled: ReturnType<RequestContext['getDispatcher']>;

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (fresh === undefined) return;
    if (this.pooled === undefined) {
      this.pooled = fresh;
    } else {
      context.setDispatcher(this.pooled);
      void fresh.close();
    }
  }
}

/** ClusterReader over `@kubernetes/client-node`: live (uncached) reads, as the validating rules require. */
export class KubeClusterReader implements ClusterReader {
  constructor(private readonly api: CustomObjectsApi) {}

  static fromKubeconfig(path: string | undefined): KubeClusterReader {
    const kc = new PooledKubeConfig();
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
    return new KubeClusterReader(kc.makeApiClient(CustomObjectsApi));
  }

  listIPPools(selector?: LabelSelectorTerm): Promise<KubeObject[]> {
    return this.list('spiderippools', selector, {});
  }

  async getIPPool(name: string): Promise<KubeObject | null> {
    return this.orNull(() => this.api.getClusterCustomObject({ group: GROUP, version: VERSION, plural: 'spiderippools', name }));
  }

  listSubnets(selector?: LabelSelectorTerm, opts: ReadOptions = {}): Promise<KubeObject[]> {
    return this.list('spidersubnets', selector, opts);
  }

  async getSubnet(name: string): Promise<KubeObject | null> {
    return this.orNull(() => this.api.getClusterCustomObject({ group: GROUP, version: VERSION, plural: 'spidersubnets', name }));
  }

  async getNetworkAttachmentDefinition(namespace: string, name: string): Promise<KubeObject | null> {
    return this.orNull(() =>
      this.api.getNamespacedCustomObject({
        group: 'k8s.cni.cncf.io',
        version: 'v1',
        namespace,
        plural: 'network-attachment-definitions',
        name,
      }),
    );
  }

  private async list(plural: string, selector: LabelSelectorTerm | undefined, opts: ReadOptions): Promise<KubeObject[]> {
    try {
      const body = (await withRetry(() => this.api.listClusterCustomObject({
        group: GROUP,
        version: VERSION,
        plural,
        ...(selector ? { labelSelector: `${selector.label}=${selector.value}` } : {}),
        ...(opts.source === 'cache' ? { resourceVersion: '0' } : {}),
      }))) as { items?: KubeObject[] };
      return body.items ?? [];
    } catch (err) {
      throw new ClusterReadError(`list ${plural} failed`, { cause: err });
    }
  }

  private async orNull(get: () => Promise<unknown>): Promise<KubeObject | null> {
    try {
      return (await withRetry(get)) as KubeObject;
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return null;
      throw new ClusterReadError('get failed', { cause: err });
    }
  }
}
