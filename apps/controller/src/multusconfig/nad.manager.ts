import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { NAD_API_GROUP, NAD_API_VERSION, type NetworkAttachmentDefinition } from '@spiderpool/crd-types';
import { isNotFound } from '@spiderpool/k8s-runtime';

export const NAD_PLURAL = 'network-attachment-definitions';

/** Typed, uncached reads/writes of NetworkAttachmentDefinitions (house style §2/§16). */
export interface NadManager {
  /** Live GET; `undefined` when absent. */
  get(namespace: string, name: string): Promise<NetworkAttachmentDefinition | undefined>;
  create(nad: NetworkAttachmentDefinition): Promise<NetworkAttachmentDefinition>;
  /** PUT carrying `metadata.resourceVersion` (409 on a concurrent write). */
  replace(nad: NetworkAttachmentDefinition): Promise<NetworkAttachmentDefinition>;
}

export class KubeNadManager implements NadManager {
  private readonly api: CustomObjectsApi;

  constructor(kubeConfig: KubeConfig) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async get(namespace: string, name: string): Promise<NetworkAttachmentDefinition | undefined> {
    try {
      return (await this.api.getNamespacedCustomObject({
        group: NAD_API_GROUP,
        version: NAD_API_VERSION,
        namespace,
        plural: NAD_PLURAL,
        name,
      })) as NetworkAttachmentDefinition;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async create(nad: NetworkAttachmentDefinition): Promise<NetworkAttachmentDefinition> {
    return (await this.api.createNamespacedCustomObject({
      group: NAD_API_GROUP,
      version: NAD_API_VERSION,
      namespace: nad.metadata.namespace ?? '',
      plural: NAD_PLURAL,
      body: nad,
    })) as NetworkAttachmentDefinition;
  }

  async replace(nad: NetworkAttachmentDefinition): Promise<NetworkAttachmentDefinition> {
    return (await this.api.replaceNamespacedCustomObject({
      group: NAD_API_GROUP,
      version: NAD_API_VERSION,
      namespace: nad.metadata.namespace ?? '',
      plural: NAD_PLURAL,
      name: nad.metadata.name ?? '',
      body: nad,
    })) as NetworkAttachmentDefinition;
  }
}
