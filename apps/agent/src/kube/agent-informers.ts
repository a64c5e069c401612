import type { KubeConfig } from '@kubernetes/client-node';
import {
  API_GROUP_VERSION,
  type SpiderCoordinator,
  type SpiderEndpoint,
  type SpiderReservedIP,
  type SpiderSubnet,
} from '@spiderpool/crd-types';
import { Informer, KubeListWatchSource, type KubeObject, type RuntimeMetrics } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import type { ClusterCache, LabelledView, PodView, StoredPool } from '../cluster/cluster.port.js';

export interface AgentInformerOptions {
  readonly kubeConfig: KubeConfig;
  readonly nodeName: string;
  readonly logger: Logger;
  readonly metrics?: RuntimeMetrics;
}

/**
 * The agent's informer caches (ClusterCache): its own node's Pods and Node, all Namespaces, and the Spider kinds
 * the allocation reads. Inert until `start()`; `synced()` gates readiness and the IPAM API.
 */
export class AgentInformers implements ClusterCache {
  private readonly podsInf: Informer<KubeObject>;
  private readonly namespacesInf: Informer<KubeObject>;
  private readonly nodesInf: Informer<KubeObject>;
  private readonly poolsInf: Informer<KubeObject>;
  private readonly subnetsInf: Informer<KubeObject>;
  private readonly reservedInf: Informer<KubeObject>;
  private readonly endpointsInf: Informer<KubeObject>;
  private readonly coordinatorsInf: Informer<KubeObject>;
  private readonly all: Informer<KubeObject>[];

  constructor(options: AgentInformerOptions) {
    const make = (
      name: string,
      apiVersion: string,
      plural: string,
      fieldSelector?: string,
    ): Informer<KubeObject> =>
      new Informer<KubeObject>({
        name,
        source: new KubeListWatchSource<KubeObject>(
          options.kubeConfig,
          { apiVersion, plural },
          fieldSelector ? { fieldSelector } : {},
        ),
        logger: options.logger,
        ...(options.metrics ? { metrics: options.metrics } : {}),
      });
    this.podsInf = make('pods', 'v1', 'pods', `spec.nodeName=${options.nodeName}`);
    this.namespacesInf = make('namespaces', 'v1', 'namespaces');
    this.nodesInf = make('nodes', 'v1', 'nodes', `metadata.name=${options.nodeName}`);
    this.poolsInf = make('spiderippools', API_GROUP_VERSION, 'spiderippools');
    this.subnetsInf = make('spidersubnets', API_GROUP_VERSION, 'spidersubnets');
    this.reservedInf = make('spiderreservedips', API_GROUP_VERSION, 'spiderreservedips');
    this.endpointsInf = make('spiderendpoints', API_GROUP_VERSION, 'spiderendpoints');
    this.coordinatorsInf = make('spidercoordinators', API_GROUP_VERSION, 'spidercoordinators');
    this.all = [
      this.podsInf,
      this.namespacesInf,
      this.nodesInf,
      this.poolsInf,
      this.subnetsInf,
      this.reservedInf,
      this.endpointsInf,
      this.coordinatorsInf,
    ];
  }

  start(): void {
    for (const i of this.all) i.start();
  }

  async waitForSync(): Promise<void> {
    await Promise.all(this.all.map((i) => i.waitForSync()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((i) => i.stop()));
  }

  synced(): boolean {
    return this.all.every((i) => i.hasSynced());
  }

  pod(namespace: string, name: string): PodView | undefined {
    return this.podsInf.get(`${namespace}/${name}`) as PodView | undefined;
  }

  namespace(name: string): LabelledView | undefined {
    return this.namespacesInf.get(name) as LabelledView | undefined;
  }

  node(name: string): LabelledView | undefined {
    return this.nodesInf.get(name) as LabelledView | undefined;
  }

  pools(): readonly StoredPool[] {
    return this.poolsInf.list() as unknown as StoredPool[];
  }

  pool(name: string): StoredPool | undefined {
    return this.poolsInf.get(name) as unknown as StoredPool | undefined;
  }

  subnets(): readonly SpiderSubnet[] {
    return this.subnetsInf.list() as unknown as SpiderSubnet[];
  }

  reservedIPs(): readonly SpiderReservedIP[] {
    return this.reservedInf.list() as unknown as SpiderReservedIP[];
  }

  endpoint(namespace: string, name: string): SpiderEndpoint | undefined {
    return this.endpointsInf.get(`${namespace}/${name}`) as unknown as SpiderEndpoint | undefined;
  }

  coordinator(name: string): SpiderCoordinator | undefined {
    return this.coordinatorsInf.get(name) as unknown as SpiderCoordinator | undefined;
  }
}
