import { ApiException, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { keepAliveKubeConfig } from '@spiderpool/k8s-runtime';
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

/** ClusterReader over `@kubernetes/client-node`: live (uncached) reads, as the validating rules require. */
export class KubeClusterReader implements ClusterReader {
  constructor(private readonly api: CustomObjectsApi) {}

  static fromKubeconfig(path: string | undefined): KubeClusterReader {
    const kc = new KubeConfig();
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
    // The shared keep-alive transport (ADR 0010): one connection pool instead of a new TLS connection per read.
    return new KubeClusterReader(keepAliveKubeConfig(kc).makeApiClient(CustomObjectsApi));
  }

  listIPPools(selector?: LabelSelectorTerm): Promise<KubeObject[]> {
    return this.list('spiderippools', selector, {});
  }

  async ippoolCollectionVersion(): Promise<string> {
    try {
      const body = (await withRetry(() =>
        this.api.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'spiderippools', limit: 1 }),
      )) as { metadata?: { resourceVersion?: string } };
      return body.metadata?.resourceVersion ?? '';
    } catch (err) {
      throw new ClusterReadError('list spiderippools (limit=1) failed', { cause: err });
    }
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
