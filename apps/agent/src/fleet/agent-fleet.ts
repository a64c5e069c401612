import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, type SpiderIPPool } from '@spiderpool/crd-types';
import { keepAliveKubeConfig } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import { testAgentConfig, type AgentConfig } from '../config/schema.js';
import { startKubeAgent } from '../kube/kube-agent.js';
import type { AgentMetrics } from '../observability/agent-metrics.js';
import type { RunningAgent } from '../server/agent-server.js';

export type FleetAgent = RunningAgent & { readonly metrics: AgentMetrics; readonly nodeName: string };

/**
 * N agents in one process against one API server, each with its own node name, informers, managers, socket and
 * registry: the int tests' and the benchmark's stand-in for a DaemonSet.
 */
export class AgentFleet {
  private constructor(
    readonly agents: readonly FleetAgent[],
    private readonly dir: string,
  ) {}

  static async start(
    kubeConfig: KubeConfig,
    options: {
      readonly size: number;
      readonly nodePrefix: string;
      readonly logger: Logger;
      readonly config?: Partial<AgentConfig>;
    },
  ): Promise<AgentFleet> {
    const dir = await mkdtemp(join(tmpdir(), 'agent-fleet-'));
    const agents = await Promise.all(
      Array.from({ length: options.size }, async (_, i) => {
        const nodeName = `${options.nodePrefix}-${i}`;
        const config = testAgentConfig({
          nodeName,
          socketPath: join(dir, `agent-${i}.sock`),
          healthPort: 0,
          httpHost: '127.0.0.1',
          metricsEnabled: false,
          enableIPv6: false,
          ...options.config,
        });
        const running = await startKubeAgent({
          kubeConfig,
          config,
          logger: options.logger.child({ node: nodeName }),
        });
        return { ...running, nodeName };
      }),
    );
    return new AgentFleet(agents, dir);
  }

  async close(): Promise<void> {
    await Promise.all(this.agents.map((a) => a.close()));
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Kubernetes objects the scenarios need, created through the real API. */
export class ClusterFixtures {
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;

  constructor(kubeConfig: KubeConfig) {
    const clients = keepAliveKubeConfig(kubeConfig);
    this.core = clients.makeApiClient(CoreV1Api);
    this.custom = clients.makeApiClient(CustomObjectsApi);
  }

  async namespace(name: string, annotations: Record<string, string> = {}): Promise<void> {
    await this.core.createNamespace({ body: { metadata: { name, annotations } } });
    await this.core
      .createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: 'default' } } })
      .catch(() => undefined);
  }

  async pool(name: string, spec: Partial<SpiderIPPool['spec']> & { subnet: string }): Promise<void> {
    await this.custom.createClusterCustomObject({
      group: API_GROUP,
      version: API_VERSION,
      plural: 'spiderippools',
      body: {
        apiVersion: API_GROUP_VERSION,
        kind: 'SpiderIPPool',
        metadata: { name },
        spec: { ipVersion: spec.subnet.includes(':') ? 6 : 4, default: false, disable: false, ...spec },
      },
    });
  }

  async readPool(name: string): Promise<SpiderIPPool> {
    return (await this.custom.getClusterCustomObject({
      group: API_GROUP,
      version: API_VERSION,
      plural: 'spiderippools',
      name,
    })) as SpiderIPPool;
  }

  async deletePool(name: string): Promise<void> {
    await this.custom
      .deleteClusterCustomObject({ group: API_GROUP, version: API_VERSION, plural: 'spiderippools', name })
      .catch(() => undefined);
  }

  async pods(
    namespace: string,
    specs: ReadonlyArray<{ name: string; nodeName: string; annotations?: Record<string, string> }>,
    concurrency = 32,
  ): Promise<V1Pod[]> {
    const out: V1Pod[] = new Array(specs.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < specs.length) {
          const i = next++;
          const s = specs[i] as (typeof specs)[number];
          out[i] = await this.core.createNamespacedPod({
            namespace,
            body: {
              metadata: { name: s.name, annotations: s.annotations ?? {} },
              spec: {
                nodeName: s.nodeName,
                automountServiceAccountToken: false,
                containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }],
              },
            },
          });
        }
      }),
    );
    return out;
  }

  async deleteAllPods(namespace: string): Promise<void> {
    await this.core.deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 });
  }
}

/** Runs `fn` over `items` with at most `concurrency` in flight; results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}
