import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, type SpiderEndpoint, type SpiderIPPool } from '@spiderpool/crd-types';
import { EventRecorder, isNotFound, keepAliveKubeConfig, KubeEventSink } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import type { ClusterApi, OwnerView, PodView, StoredPool } from '../cluster/cluster.port.js';
import type { EndpointApi } from '../endpoint/endpoint-api.port.js';
import type { IPPoolApi } from '../ippool/ippool-api.port.js';
import type { PodEvent, PodEventPort } from '../ipam/pod-event.port.js';

const orUndefined = async <T>(p: Promise<T>): Promise<T | undefined> => {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
};

/** SpiderIPPool live GET and `/status` PUT (the body keeps the read resourceVersion). */
export class KubeIPPoolApi implements IPPoolApi {
  private readonly api: CustomObjectsApi;

  constructor(kubeConfig: KubeConfig) {
    const clients = keepAliveKubeConfig(kubeConfig);
    this.api = clients.makeApiClient(CustomObjectsApi);
  }

  async read(name: string): Promise<StoredPool> {
    return (await this.api.getClusterCustomObject({
      group: API_GROUP,
      version: API_VERSION,
      plural: 'spiderippools',
      name,
    })) as StoredPool;
  }

  async writeStatus(pool: SpiderIPPool): Promise<StoredPool> {
    return (await this.api.replaceClusterCustomObjectStatus({
      group: API_GROUP,
      version: API_VERSION,
      plural: 'spiderippools',
      name: pool.metadata.name as string,
      body: pool,
    })) as StoredPool;
  }
}

export class KubeEndpointApi implements EndpointApi {
  private readonly api: CustomObjectsApi;
  private readonly base = { group: API_GROUP, version: API_VERSION, plural: 'spiderendpoints' };

  constructor(kubeConfig: KubeConfig) {
    const clients = keepAliveKubeConfig(kubeConfig);
    this.api = clients.makeApiClient(CustomObjectsApi);
  }

  read(namespace: string, name: string): Promise<SpiderEndpoint | undefined> {
    return orUndefined(
      this.api.getNamespacedCustomObject({ ...this.base, namespace, name }) as Promise<SpiderEndpoint>,
    );
  }

  async create(ep: SpiderEndpoint): Promise<SpiderEndpoint> {
    return (await this.api.createNamespacedCustomObject({
      ...this.base,
      namespace: ep.metadata.namespace as string,
      body: ep,
    })) as SpiderEndpoint;
  }

  async replace(ep: SpiderEndpoint): Promise<SpiderEndpoint> {
    return (await this.api.replaceNamespacedCustomObject({
      ...this.base,
      namespace: ep.metadata.namespace as string,
      name: ep.metadata.name as string,
      body: ep,
    })) as SpiderEndpoint;
  }

  async delete(namespace: string, name: string): Promise<void> {
    await orUndefined(this.api.deleteNamespacedCustomObject({ ...this.base, namespace, name }));
  }
}

const KUBEVIRT_PLURALS: Readonly<Record<string, string>> = {
  VirtualMachineInstance: 'virtualmachineinstances',
  VirtualMachine: 'virtualmachines',
  VirtualMachineInstanceMigration: 'virtualmachineinstancemigrations',
};

/** Live reads of Pods and workload owners (KubeVirt kinds through the custom-objects API). */
export class KubeClusterApi implements ClusterApi {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly batch: BatchV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(kubeConfig: KubeConfig) {
    const clients = keepAliveKubeConfig(kubeConfig);
    this.core = clients.makeApiClient(CoreV1Api);
    this.apps = clients.makeApiClient(AppsV1Api);
    this.batch = clients.makeApiClient(BatchV1Api);
    this.custom = clients.makeApiClient(CustomObjectsApi);
  }

  async readPod(namespace: string, name: string): Promise<PodView | undefined> {
    return (await orUndefined(this.core.readNamespacedPod({ namespace, name }))) as PodView | undefined;
  }

  async readOwner(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): Promise<OwnerView | undefined> {
    const key = `${apiVersion}/${kind}`;
    const kubevirtPlural = apiVersion === 'kubevirt.io/v1' ? KUBEVIRT_PLURALS[kind] : undefined;
    if (kubevirtPlural !== undefined) {
      const obj = this.custom.getNamespacedCustomObject({
        group: 'kubevirt.io',
        version: 'v1',
        plural: kubevirtPlural,
        namespace,
        name,
      }) as Promise<unknown>;
      return (await orUndefined(obj)) as OwnerView | undefined;
    }
    const read: Promise<unknown> | undefined =
      key === 'apps/v1/ReplicaSet'
        ? this.apps.readNamespacedReplicaSet({ namespace, name })
        : key === 'apps/v1/StatefulSet'
          ? this.apps.readNamespacedStatefulSet({ namespace, name })
          : key === 'batch/v1/Job'
            ? this.batch.readNamespacedJob({ namespace, name })
            : undefined;
    if (read === undefined) return undefined;
    return (await orUndefined(read)) as OwnerView | undefined;
  }
}

/** Warning/Normal Events on Pods through the shared EventRecorder (series aggregation, never throws). */
export class KubePodEvents implements PodEventPort {
  private readonly recorder: EventRecorder;

  constructor(kubeConfig: KubeConfig, options: { readonly instance: string; readonly logger: Logger }) {
    this.recorder = new EventRecorder({
      sink: new KubeEventSink(kubeConfig),
      reportingController: 'spiderpool.spidernet.io/spiderpool-agent',
      reportingInstance: options.instance,
      logger: options.logger,
    });
  }

  record(pod: PodView, event: PodEvent): Promise<void> {
    return this.recorder.record(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        name: pod.metadata.name,
        namespace: pod.metadata.namespace,
        uid: pod.metadata.uid,
      },
      { type: event.type, reason: event.reason, action: 'AllocateIP', note: event.note },
    );
  }
}
