import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { AgentConfig } from '../config/schema.js';
import { AgentMetrics } from '../observability/agent-metrics.js';
import { startAgent, type RunningAgent } from '../server/agent-server.js';
import { AgentInformers } from './agent-informers.js';
import { keepAliveKubeConfig } from '@spiderpool/k8s-runtime';
import { KubeClusterApi, KubeEndpointApi, KubeIPPoolApi, KubePodEvents } from './kube-adapters.js';

export interface KubeAgentOptions {
  readonly kubeConfig: KubeConfig;
  readonly config: AgentConfig;
  readonly logger: Logger;
  readonly shutdownHooks?: boolean;
}

/** One agent wired to a real API server (the process entry point, in-process int tests and the benchmark). */
export async function startKubeAgent(
  options: KubeAgentOptions,
): Promise<RunningAgent & { readonly metrics: AgentMetrics }> {
  const { config, logger } = options;
  // One keep-alive connection pool for every client of this agent (informers, pool/endpoint writes, Events).
  const kubeConfig = keepAliveKubeConfig(options.kubeConfig);
  const informers = new AgentInformers({ kubeConfig, nodeName: config.nodeName, logger });
  const metrics = new AgentMetrics();
  const running = await startAgent(
    {
      config,
      logger,
      metrics,
      cache: informers,
      cacheLifecycle: informers,
      clusterApi: new KubeClusterApi(kubeConfig),
      ippoolApi: new KubeIPPoolApi(kubeConfig),
      endpointApi: new KubeEndpointApi(kubeConfig),
      events: new KubePodEvents(kubeConfig, { instance: config.agentPodName, logger }),
    },
    { shutdownHooks: options.shutdownHooks ?? false },
  );
  return { ...running, metrics, close: running.close };
}
