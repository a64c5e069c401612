import type { SpiderCoordinator } from '@spiderpool/crd-types';
import type { CalicoIPPoolLike, CiliumPodIPPoolLike, KcmPodLike } from './cidr-detection.js';
import type { CoordinatorClusterReader, CoordinatorManager, CoordinatorStatusPatch } from './coordinator.manager.js';

/** In-memory SpiderCoordinators with merge-patch semantics for the fields the controller writes. */
export class FakeCoordinatorManager implements CoordinatorManager {
  readonly store = new Map<string, SpiderCoordinator>();
  readonly statusWrites: CoordinatorStatusPatch[] = [];
  readonly specPatches: object[] = [];

  async get(name: string): Promise<SpiderCoordinator | undefined> {
    const found = this.store.get(name);
    return found ? structuredClone(found) : undefined;
  }

  async create(obj: SpiderCoordinator): Promise<SpiderCoordinator> {
    const name = obj.metadata.name ?? '';
    if (this.store.has(name)) throw Object.assign(new Error('exists'), { code: 409, body: '{"reason":"AlreadyExists"}' });
    this.store.set(name, { ...structuredClone(obj), metadata: { ...obj.metadata, uid: `uid-${name}` } });
    return this.mustGet(name);
  }

  async patch(name: string, patch: { metadata?: { annotations?: Record<string, string> }; spec?: object }): Promise<void> {
    const cur = this.mustGet(name, { copy: false });
    this.specPatches.push(structuredClone(patch));
    cur.metadata.annotations = { ...cur.metadata.annotations, ...patch.metadata?.annotations };
    cur.spec = { ...cur.spec, ...(patch.spec as SpiderCoordinator['spec']) };
  }

  async patchStatus(name: string, status: CoordinatorStatusPatch): Promise<void> {
    const cur = this.mustGet(name, { copy: false });
    this.statusWrites.push(structuredClone(status));
    const { reason, ...rest } = status;
    cur.status = { ...rest, ...(reason === null ? {} : { reason }) };
  }

  private mustGet(name: string, options = { copy: true }): SpiderCoordinator {
    const found = this.store.get(name);
    if (!found) throw Object.assign(new Error(`${name} not found`), { code: 404 });
    return options.copy ? structuredClone(found) : found;
  }
}

/** Scripted cluster/node facts; a value that is an Error is thrown by the matching call. */
export class FakeCoordinatorClusterReader implements CoordinatorClusterReader {
  configMaps = new Map<string, Record<string, string>>();
  kcmPods: KcmPodLike[] | Error = [];
  calicoPools: CalicoIPPoolLike[] | Error = [];
  ciliumPools: CiliumPodIPPoolLike[] | undefined = undefined;
  cniFiles = new Map<string, string>();

  async getConfigMapData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    return this.configMaps.get(`${namespace}/${name}`);
  }
  async listKubeControllerManagerPods(): Promise<KcmPodLike[]> {
    if (this.kcmPods instanceof Error) throw this.kcmPods;
    return this.kcmPods;
  }
  async listCalicoIPPools(): Promise<CalicoIPPoolLike[]> {
    if (this.calicoPools instanceof Error) throw this.calicoPools;
    return this.calicoPools;
  }
  async listCiliumPodIPPools(): Promise<CiliumPodIPPoolLike[] | undefined> {
    return this.ciliumPools;
  }
  async listCniConfNames(): Promise<string[]> {
    return [...this.cniFiles.keys()];
  }
  async readCniConf(name: string): Promise<string> {
    return this.cniFiles.get(name) ?? '';
  }
}
