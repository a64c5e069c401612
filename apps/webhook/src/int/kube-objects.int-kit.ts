// Small typed wrappers over CustomObjectsApi for the int tests and the bench.
import { ApiException, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../admission/kind-webhook.js';

const PLURAL: Record<string, { plural: string; group: string; version: string; namespaced: boolean }> = {
  SpiderIPPool: { plural: 'spiderippools', group: 'spiderpool.spidernet.io', version: 'v2beta1', namespaced: false },
  SpiderSubnet: { plural: 'spidersubnets', group: 'spiderpool.spidernet.io', version: 'v2beta1', namespaced: false },
  SpiderReservedIP: { plural: 'spiderreservedips', group: 'spiderpool.spidernet.io', version: 'v2beta1', namespaced: false },
  SpiderCoordinator: { plural: 'spidercoordinators', group: 'spiderpool.spidernet.io', version: 'v2beta1', namespaced: false },
  SpiderMultusConfig: { plural: 'spidermultusconfigs', group: 'spiderpool.spidernet.io', version: 'v2beta1', namespaced: true },
  NetworkAttachmentDefinition: { plural: 'network-attachment-definitions', group: 'k8s.cni.cncf.io', version: 'v1', namespaced: true },
};

export interface KubeFailure {
  code: number;
  message: string;
}

/** The status code and message of a rejected API call. */
export function failureOf(err: unknown): KubeFailure {
  if (err instanceof ApiException) {
    const body: unknown = typeof err.body === 'string' ? safeJson(err.body) : err.body;
    const message = (body as { message?: string } | undefined)?.message ?? String(err.body);
    return { code: err.code, message };
  }
  throw err;
}

const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return { message: s };
  }
};

export class KubeObjects {
  readonly api: CustomObjectsApi;
  constructor(kc: KubeConfig) {
    this.api = kc.makeApiClient(CustomObjectsApi);
  }

  private where(obj: KubeObject) {
    const r = PLURAL[obj.kind ?? ''];
    if (!r) throw new Error(`unsupported kind ${obj.kind}`);
    return { ...r, name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace ?? 'default' };
  }

  async create(obj: KubeObject): Promise<KubeObject> {
    const w = this.where(obj);
    return (await (w.namespaced
      ? this.api.createNamespacedCustomObject({ group: w.group, version: w.version, namespace: w.namespace, plural: w.plural, body: obj })
      : this.api.createClusterCustomObject({ group: w.group, version: w.version, plural: w.plural, body: obj }))) as KubeObject;
  }

  async get(obj: KubeObject): Promise<KubeObject> {
    const w = this.where(obj);
    return (await (w.namespaced
      ? this.api.getNamespacedCustomObject({ group: w.group, version: w.version, namespace: w.namespace, plural: w.plural, name: w.name })
      : this.api.getClusterCustomObject({ group: w.group, version: w.version, plural: w.plural, name: w.name }))) as KubeObject;
  }

  async replace(obj: KubeObject): Promise<KubeObject> {
    const w = this.where(obj);
    return (await (w.namespaced
      ? this.api.replaceNamespacedCustomObject({ group: w.group, version: w.version, namespace: w.namespace, plural: w.plural, name: w.name, body: obj })
      : this.api.replaceClusterCustomObject({ group: w.group, version: w.version, plural: w.plural, name: w.name, body: obj }))) as KubeObject;
  }

  async replaceStatus(obj: KubeObject): Promise<KubeObject> {
    const w = this.where(obj);
    return (await this.api.replaceClusterCustomObjectStatus({ group: w.group, version: w.version, plural: w.plural, name: w.name, body: obj })) as KubeObject;
  }

  async delete(obj: KubeObject): Promise<void> {
    const w = this.where(obj);
    await (w.namespaced
      ? this.api.deleteNamespacedCustomObject({ group: w.group, version: w.version, namespace: w.namespace, plural: w.plural, name: w.name })
      : this.api.deleteClusterCustomObject({ group: w.group, version: w.version, plural: w.plural, name: w.name }));
  }

  /** Delete and strip finalizers (no controller runs in the int tier), ignoring NotFound. */
  async purge(obj: KubeObject): Promise<void> {
    try {
      await this.delete(obj);
      const cur = await this.get(obj);
      if ((cur.metadata?.finalizers ?? []).length > 0) {
        await this.replace({ ...cur, metadata: { ...cur.metadata, finalizers: [] } });
      }
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 404)) throw err;
    }
  }
}
