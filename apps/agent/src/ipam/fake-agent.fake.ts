import type { SpiderIPPool } from '@spiderpool/crd-types';
import { API_GROUP_VERSION } from '@spiderpool/crd-types';
import { pino } from 'pino';
import type { PodView } from '../cluster/cluster.port.js';
import { FakeCluster } from '../cluster/cluster.fake.js';
import { testAgentConfig, type AgentConfig } from '../config/schema.js';
import { EndpointManager } from '../endpoint/endpoint.manager.js';
import { IPPoolManager, reservedIPSet } from '../ippool/ippool.manager.js';
import { PoolWriteBatcher, type BatcherObserver } from '../ippool/pool-write.batcher.js';
import { AutoPoolFinder } from './auto-pool.finder.js';
import { IpamService } from './ipam.service.js';

export interface FakeAgent {
  readonly cluster: FakeCluster;
  readonly config: AgentConfig;
  readonly service: IpamService;
  readonly batcher: PoolWriteBatcher;
  readonly batchSizes: number[];
}

/** The IPAM service wired over one in-memory cluster, as the Nest module wires it over the real adapters. */
export function fakeAgent(overrides: Partial<AgentConfig> = {}, cluster = new FakeCluster()): FakeAgent {
  const config = testAgentConfig({ waitSubnetPoolMs: 0, waitSubnetPoolMaxRetries: 2, ...overrides });
  const logger = pino({ level: 'silent' });
  const batchSizes: number[] = [];
  const observer: BatcherObserver = {
    conflict: () => undefined,
    waited: () => undefined,
    batchSize: (n) => void batchSizes.push(n),
  };
  const batcher = new PoolWriteBatcher({
    api: cluster,
    reserved: (family) => reservedIPSet(cluster, family),
    policy: { ...config.poolUpdate, baseMs: 1, maxMs: 2 },
    maxPending: config.maxPendingPerPool,
    logger,
    observer,
  });
  const pools = new IPPoolManager(batcher, config.maxAllocatedIPs);
  const service = new IpamService({
    config,
    cache: cluster,
    api: cluster,
    pools,
    endpoints: new EndpointManager(cluster, cluster.endpointApi),
    autoPools: new AutoPoolFinder(cluster, {
      intervalMs: config.waitSubnetPoolMs,
      maxRetries: config.waitSubnetPoolMaxRetries,
    }),
    events: cluster,
    logger,
  });
  return { cluster, config, service, batcher, batchSizes };
}

export function pool(
  name: string,
  spec: Partial<SpiderIPPool['spec']> & { subnet: string },
  labels?: Record<string, string>,
): SpiderIPPool {
  return {
    apiVersion: API_GROUP_VERSION,
    kind: 'SpiderIPPool',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: { ipVersion: spec.subnet.includes(':') ? 6 : 4, default: false, disable: false, ...spec },
  };
}

export function podView(
  name: string,
  extra: {
    namespace?: string;
    uid?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    owner?: { apiVersion: string; kind: string; name: string; uid: string };
    phase?: string;
    deleting?: boolean;
  } = {},
): PodView {
  return {
    metadata: {
      name,
      namespace: extra.namespace ?? 'default',
      uid: extra.uid ?? `uid-${name}`,
      labels: extra.labels ?? {},
      annotations: extra.annotations ?? {},
      ...(extra.owner ? { ownerReferences: [{ ...extra.owner, controller: true }] } : {}),
      ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: { nodeName: 'node-1', restartPolicy: 'Always' },
    status: { phase: extra.phase ?? 'Running' },
  };
}

export const addArgs = (pod: PodView, ifName = 'eth0', extra: Record<string, unknown> = {}) => ({
  containerID: `ctr-${pod.metadata.name}`,
  ifName,
  netNamespace: '/var/run/netns/x',
  podNamespace: pod.metadata.namespace,
  podName: pod.metadata.name,
  podUID: pod.metadata.uid,
  ...extra,
});
