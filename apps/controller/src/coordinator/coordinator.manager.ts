import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { API_GROUP, API_VERSION, type SpiderCoordinator } from '@spiderpool/crd-types';
import { isNotFound } from '@spiderpool/k8s-runtime';
import type { CalicoIPPoolLike, CiliumPodIPPoolLike, KcmPodLike } from './cidr-detection.js';

/** The status the controller writes; `reason: null` removes the key in a merge patch. */
export interface CoordinatorStatusPatch {
  phase: 'Synced' | 'NotReady';
  reason: string | null;
  overlayPodCIDR: string[];
  serviceCIDR: string[];
}

/** Typed, uncached reads/writes of SpiderCoordinators (house style §2/§16). */
export interface CoordinatorManager {
  get(name: string): Promise<SpiderCoordinator | undefined>;
  create(obj: SpiderCoordinator): Promise<SpiderCoordinator>;
  /** JSON merge patch of the main resource (spec and metadata). */
  patch(name: string, patch: { metadata?: { annotations?: Record<string, string> }; spec?: object }): Promise<void>;
  /** JSON merge patch of the status subresource. */
  patchStatus(name: string, status: CoordinatorStatusPatch): Promise<void>;
}

/** What the status detection reads from the cluster and the node (§2.4). */
export interface CoordinatorClusterReader {
  /** Live GET; `undefined` when absent. */
  getConfigMapData(namespace: string, name: string): Promise<Record<string, string> | undefined>;
  /** Pods in all namespaces labelled `component=kube-controller-manager`. */
  listKubeControllerManagerPods(): Promise<KcmPodLike[]>;
  listCalicoIPPools(): Promise<CalicoIPPoolLike[]>;
  /** `undefined` when the CiliumPodIPPool kind is not served. */
  listCiliumPodIPPools(): Promise<CiliumPodIPPoolLike[] | undefined>;
  /** Names of the regular files in the host CNI config directory ([] when it is missing). */
  listCniConfNames(): Promise<string[]>;
  readCniConf(name: string): Promise<string>;
}

const PLURAL = 'spidercoordinators';
const mergePatch = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class KubeCoordinatorManager implements CoordinatorManager {
  private readonly api: CustomObjectsApi;

  constructor(kubeConfig: KubeConfig) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async get(name: string): Promise<SpiderCoordinator | undefined> {
    try {
      return (await this.api.getClusterCustomObject({ group: API_GROUP, version: API_VERSION, plural: PLURAL, name })) as SpiderCoordinator;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async create(obj: SpiderCoordinator): Promise<SpiderCoordinator> {
    return (await this.api.createClusterCustomObject({ group: API_GROUP, version: API_VERSION, plural: PLURAL, body: obj })) as SpiderCoordinator;
  }

  async patch(name: string, patch: object): Promise<void> {
    await this.api.patchClusterCustomObject({ group: API_GROUP, version: API_VERSION, plural: PLURAL, name, body: patch }, mergePatch());
  }

  async patchStatus(name: string, status: CoordinatorStatusPatch): Promise<void> {
    await this.api.patchClusterCustomObjectStatus(
      { group: API_GROUP, version: API_VERSION, plural: PLURAL, name, body: { status } },
      mergePatch(),
    );
  }
}

export class KubeCoordinatorClusterReader implements CoordinatorClusterReader {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(
    kubeConfig: KubeConfig,
    private readonly cniConfigDir: string,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async getConfigMapData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    try {
      const cm = await this.core.readNamespacedConfigMap({ namespace, name });
      return cm.data ?? {};
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async listKubeControllerManagerPods(): Promise<KcmPodLike[]> {
    const list = await this.core.listPodForAllNamespaces({ labelSelector: 'component=kube-controller-manager' });
    return list.items as KcmPodLike[];
  }

  async listCalicoIPPools(): Promise<CalicoIPPoolLike[]> {
    const list = (await this.custom.listClusterCustomObject({ group: 'crd.projectcalico.org', version: 'v1', plural: 'ippools' })) as {
      items?: CalicoIPPoolLike[];
    };
    return list.items ?? [];
  }

  async listCiliumPodIPPools(): Promise<CiliumPodIPPoolLike[] | undefined> {
    try {
      const list = (await this.custom.listClusterCustomObject({ group: 'cilium.io', version: 'v2alpha1', plural: 'ciliumpodippools' })) as {
        items?: CiliumPodIPPoolLike[];
      };
      return list.items ?? [];
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async listCniConfNames(): Promise<string[]> {
    try {
      const entries = await readdir(this.cniConfigDir, { withFileTypes: true });
      return entries.filter((e) => e.isFile()).map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  readCniConf(name: string): Promise<string> {
    return readFile(join(this.cniConfigDir, name), 'utf8');
  }
}
