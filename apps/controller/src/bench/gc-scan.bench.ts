// GC full-scan benchmark (not a test; nx run controller:bench): 10 000 endpoints and 1 000 pools in fake caches,
// the IpGc scan next to a naive per-endpoint linear pool lookup, controller RSS, and (with a real API server) the
// cost of listing the same objects. Prints figures; asserts nothing.
import { KubeConfig } from '@kubernetes/client-node';
import { FINALIZER } from '@spiderpool/crd-types';
import { parseAllocatedIPs } from '@spiderpool/ipam-core';
import { ObjectCache } from '@spiderpool/k8s-runtime';
import { installCrds, startControlPlane, stderrLogger, TEST_KUBECONFIG_ENV, type ControlPlane } from '@spiderpool/testing';
import { existsSync } from 'node:fs';
import { pino } from 'pino';
import { KubeObjectClient } from '../api-client/kube-object.client.js';
import { FakeObjectClient } from '../api-client/object-client.fake.js';
import { KINDS } from '../api-client/resource-kinds.js';
import type { NodeObject, PodObject } from '../gc/gc.types.js';
import { IpGc } from '../gc/ip-gc.js';
import { LiveStaticValidity } from '../gc/static-validity.js';
import { IPPoolManager } from '../ippool/ippool.manager.js';
import type { EndpointObject, PoolObject } from '../ippool/ippool.types.js';

const POOLS = Number(process.env['BENCH_POOLS'] ?? 1000);
const ENDPOINTS = Number(process.env['BENCH_ENDPOINTS'] ?? 10_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const G = 'spiderpool.spidernet.io/v2beta1';
const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false } as const;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const addr = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function fixtures() {
  const perPool = Math.ceil(ENDPOINTS / POOLS);
  const pools: PoolObject[] = [];
  const endpoints: EndpointObject[] = [];
  const pods: PodObject[] = [];
  for (let p = 0; p < POOLS; p++) {
    const recs: Record<string, { pod: string; podUid: string }> = {};
    for (let k = 0; k < perPool && p * perPool + k < ENDPOINTS; k++) {
      const i = p * perPool + k;
      const name = `pod-${i}`;
      const ip = addr(i + 1);
      recs[ip] = { pod: `bench/${name}`, podUid: `uid-${i}` };
      endpoints.push({ apiVersion: G, kind: 'SpiderEndpoint', metadata: { name, namespace: 'bench', finalizers: [FINALIZER] }, status: { current: { uid: `uid-${i}`, node: 'n1', ips: [{ interface: 'eth0', ipv4: `${ip}/8`, ipv4Pool: `pool-${p}`, vlan: 0 }] }, ownerControllerType: 'Deployment', ownerControllerName: 'web' } } as EndpointObject);
      pods.push({ metadata: { name, namespace: 'bench', uid: `uid-${i}` }, spec: { nodeName: 'n1' }, status: { phase: 'Running', podIPs: [{ ip }] } } as PodObject);
    }
    pools.push({ apiVersion: G, kind: 'SpiderIPPool', metadata: { name: `pool-${p}`, finalizers: [FINALIZER] }, spec: { subnet: '10.0.0.0/8', ips: ['10.0.0.1-10.255.255.254'], default: false, disable: false }, status: { allocatedIPs: JSON.stringify(recs), allocatedIPCount: Object.keys(recs).length } } as PoolObject);
  }
  return { pools, endpoints, pods };
}

/** Baseline: per endpoint, find each of its pools by a linear scan of the pool list and parse its records. */
function naiveScan(pools: readonly PoolObject[], endpoints: readonly EndpointObject[], pods: ObjectCache<PodObject>): number {
  let suspects = 0;
  for (const ep of endpoints) {
    for (const nic of ep.status?.current.ips ?? []) {
      const pool = pools.find((p) => p.metadata.name === nic.ipv4Pool);
      const record = parseAllocatedIPs(pool?.status?.allocatedIPs).get((nic.ipv4 ?? '').split('/')[0] ?? '');
      const pod = pods.get({ namespace: ep.metadata.namespace ?? '', name: ep.metadata.name ?? '' });
      if (record === undefined || pod === undefined || pod.metadata.uid !== record.podUid) suspects++;
    }
  }
  return suspects;
}

async function apiserverListCost(data: ReturnType<typeof fixtures>): Promise<void> {
  if (process.env['BENCH_SKIP_APISERVER'] === '1') return void process.stdout.write('apiserver list: skipped (BENCH_SKIP_APISERVER=1)\n');
  let plane: ControlPlane | undefined;
  let kubeconfig = process.env[TEST_KUBECONFIG_ENV];
  if (!kubeconfig || !existsSync(kubeconfig)) {
    plane = await startControlPlane({ logger: stderrLogger, controllers: false });
    kubeconfig = plane.kubeconfigPath;
    await installCrds(kubeconfig, process.env['BENCH_WORKSPACE_ROOT'] ?? process.cwd(), stderrLogger);
  }
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const client = new KubeObjectClient(kc);
  const ns = `bench-${process.pid}`;
  const prefix = `bench-${process.pid}-`;
  try {
    await client.create(NAMESPACE, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as never);
    // Without finalizers: no controller runs here to release them, and the namespace must be able to go.
    const t0 = performance.now();
    const queue = [
      ...data.pools.map((p) => () => client.create(KINDS.ippool, { ...p, metadata: { ...p.metadata, name: prefix + p.metadata.name, labels: { bench: ns }, finalizers: [] } })),
      ...data.endpoints.map((e) => () => client.create(KINDS.endpoint, { ...e, metadata: { ...e.metadata, namespace: ns, finalizers: [] } })),
    ];
    await Promise.all(Array.from({ length: 64 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }));
    process.stdout.write(`apiserver: created ${data.pools.length} pools + ${data.endpoints.length} endpoints in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    for (const [label, kind, opts] of [
      ['pools', KINDS.ippool, { labelSelector: `bench=${ns}` }],
      ['endpoints', KINDS.endpoint, { namespace: ns }],
    ] as const) {
      const times: number[] = [];
      let n = 0;
      for (let r = 0; r < 3; r++) {
        const s = performance.now();
        n = (await client.list(kind, opts)).length;
        times.push(performance.now() - s);
      }
      process.stdout.write(`apiserver list ${label} (${n} objects, pages of 500): median ${median(times).toFixed(0)} ms\n`);
    }
  } finally {
    await client.delete(NAMESPACE, { name: ns }).catch(() => undefined);
    for (const p of data.pools) await client.delete(KINDS.ippool, { name: prefix + p.metadata.name }).catch(() => undefined);
    await plane?.stop();
  }
}

async function main(): Promise<void> {
  gc();
  const rss0 = process.memoryUsage().rss;
  const data = fixtures();
  const caches = {
    pools: new ObjectCache<PoolObject>(),
    endpoints: new ObjectCache<EndpointObject>(),
    pods: new ObjectCache<PodObject>(),
    nodes: new ObjectCache<NodeObject>(),
  };
  data.pools.forEach((p) => caches.pools.upsert(p));
  data.endpoints.forEach((e) => caches.endpoints.upsert(e));
  data.pods.forEach((p) => caches.pods.upsert(p));
  caches.nodes.upsert({ metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as NodeObject);
  gc();
  const rss1 = process.memoryUsage().rss;
  const client = new FakeObjectClient();
  const ipGc = new IpGc(caches, undefined, client, new IPPoolManager(client), new LiveStaticValidity(client), {
    enabled: true, statelessTerminatingOnReadyNode: true, statelessTerminatingOnNotReadyNode: true, statelessRunningOnEmptyPodIPs: false,
    additionalGraceDelaySeconds: 0, enableStatefulSet: true, enableKubevirtStaticIP: true,
    scanIntervalMs: 600_000, traceIntervalMs: 5_000, confirmDelayMs: 5_000, maxTraceEntries: 100_000, maxRetries: 5,
  }, pino({ level: 'silent' }));
  const scan: number[] = [];
  const naive: number[] = [];
  let summary = { records: 0, suspects: 0 };
  let naiveSuspects = 0;
  for (let r = 0; r < ROUNDS; r++) {
    let s = performance.now();
    summary = await ipGc.scanAll();
    scan.push(performance.now() - s);
    s = performance.now();
    naiveSuspects = naiveScan(data.pools, data.endpoints, caches.pods);
    naive.push(performance.now() - s);
  }
  gc();
  const rss2 = process.memoryUsage().rss;
  process.stdout.write(
    [
      `GC full scan, ${POOLS} pools / ${ENDPOINTS} endpoints / ${summary.records} records, median of ${ROUNDS}:`,
      `  IpGc.scanAll (pool records → keyed cache lookups): ${median(scan).toFixed(1)} ms (suspects ${summary.suspects})`,
      `  naive (per endpoint: linear pool lookup + parse):  ${median(naive).toFixed(1)} ms (suspects ${naiveSuspects})`,
      `RSS: baseline ${mb(rss0)}, with caches ${mb(rss1)} (+${mb(rss1 - rss0)}), after scans ${mb(rss2)}`,
      '',
    ].join('\n'),
  );
  await apiserverListCost(data);
}

await main();
