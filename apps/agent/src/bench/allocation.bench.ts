/**
 * `nx run agent:bench` — prints figures, asserts nothing (house style: no wall-clock thresholds).
 *
 * In one run against a real kube-apiserver (SPIDERPOOL_TEST_KUBECONFIG, or a plane started here):
 * 1. raw ceiling: a bare read-modify-write loop (GET + PUT /status) on one SpiderIPPool by one writer;
 * 2. the 10×100 scenario: 10 in-process agents, 1000 concurrent ADDs over their unix sockets, one 1000-IP pool;
 * 3. the matching 1000 DELs;
 * 4. agent RSS.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, type SpiderIPPool } from '@spiderpool/crd-types';
import {
  findWorkspaceRoot,
  installCrds,
  startControlPlane,
  stderrLogger,
  testNamespace,
  TEST_KUBECONFIG_ENV,
  type ControlPlane,
} from '@spiderpool/testing';
import { pino } from 'pino';
import { AgentFleet, ClusterFixtures } from '../fleet/agent-fleet.js';
import { httpCall } from '../server/agent-http.fake.js';

const AGENTS = Number(process.env['BENCH_AGENTS'] ?? 10);
const PODS = Number(process.env['BENCH_PODS'] ?? 1000);
const RAW_ITERATIONS = Number(process.env['BENCH_RAW_ITERATIONS'] ?? 300);

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;

async function plane(): Promise<{ kubeconfig: string; stop: () => Promise<void> }> {
  const reuse = process.env[TEST_KUBECONFIG_ENV];
  if (reuse && existsSync(reuse)) return { kubeconfig: reuse, stop: async () => undefined };
  const started: ControlPlane = await startControlPlane({ logger: stderrLogger });
  await installCrds(started.kubeconfigPath, findWorkspaceRoot(process.cwd()), stderrLogger);
  return { kubeconfig: started.kubeconfigPath, stop: () => started.stop() };
}

async function rawCeiling(fx: ClusterFixtures, poolName: string): Promise<number> {
  await fx.pool(poolName, { subnet: '10.230.0.0/16', ips: ['10.230.0.1-10.230.3.232'] });
  const base = { group: API_GROUP, version: API_VERSION, plural: 'spiderippools', name: poolName };
  const records: Record<string, { pod: string; podUid: string }> = {};
  const started = performance.now();
  for (let i = 0; i < RAW_ITERATIONS; i++) {
    const pool = (await fx.custom.getClusterCustomObject(base)) as SpiderIPPool;
    records[`10.230.${Math.floor((i + 1) / 256)}.${(i + 1) % 256}`] = {
      pod: `raw/p-${i}`,
      podUid: `uid-${i}`,
    };
    await fx.custom.replaceClusterCustomObjectStatus({
      ...base,
      body: {
        ...pool,
        status: { ...(pool.status ?? {}), allocatedIPs: JSON.stringify(records), allocatedIPCount: i + 1 },
      },
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await fx.deletePool(poolName);
  return RAW_ITERATIONS / seconds;
}

/** VmRSS of a process, from /proc (Linux). */
function rssOf(pid: number): number | undefined {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? undefined : Number(m[1]) * 1024;
}

/**
 * RSS of ONE agent process: the bundled `dist/apps/agent/main.mjs` (nx run agent:build), after start-up and after
 * 100 ADDs of its own node's pods. Skipped with a note when the bundle is missing.
 */
async function processRss(
  kubeconfig: string,
  fx: ClusterFixtures,
  ns: string,
  poolName: string,
  suffix: string,
): Promise<string> {
  const bundle = join(process.cwd(), 'dist', 'apps', 'agent', 'main.mjs');
  if (!existsSync(bundle)) return 'single-agent process RSS: skipped (run nx run agent:build first)';
  const dir = await mkdtemp(join(tmpdir(), 'agent-rss-'));
  const node = `rss-${suffix}`;
  const pods = await fx.pods(
    ns,
    Array.from({ length: 100 }, (_, i) => ({
      name: `rss-${i}`,
      nodeName: node,
      annotations: { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: [poolName] }) },
    })),
  );
  const socketPath = join(dir, 'agent.sock');
  const child = spawn(process.execPath, [bundle], {
    env: {
      PATH: process.env['PATH'] ?? '',
      SPIDERPOOL_POD_NAMESPACE: 'kube-system',
      SPIDERPOOL_NODE_NAME: node,
      SPIDERPOOL_KUBECONFIG: kubeconfig,
      SPIDERPOOL_CONFIG_PATH: join(dir, 'conf.yml'),
      SPIDERPOOL_HEALTH_PORT: '0',
      SPIDERPOOL_HTTP_HOST: '127.0.0.1',
      SPIDERPOOL_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'conf.yml'), `ipamUnixSocketPath: ${socketPath}\nenableIPv6: false\n`);
    for (let i = 0; i < 300 && !existsSync(socketPath); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(socketPath)) return 'single-agent process RSS: agent did not start';
    const idle = rssOf(child.pid as number) ?? 0;
    await Promise.all(
      pods.map((p, i) =>
        httpCall({ socketPath }, 'POST', '/v1/ipam/ip', {
          containerID: `r-${i}`,
          ifName: 'eth0',
          netNamespace: '/x',
          podNamespace: ns,
          podName: p.metadata?.name,
          podUID: p.metadata?.uid,
        }),
      ),
    );
    const busy = rssOf(child.pid as number) ?? 0;
    const rss = `single-agent process RSS (bundled main.mjs): ${mib(idle)} after start-up, ${mib(busy)} after 100 ADDs`;
    return `${rss}\n${await cniLatency(socketPath, fx, ns, poolName, node)}`;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}

/** CNI ADD latency through the packaged plugin binary (`nx run cni:package`), sequential, against one agent. */
async function cniLatency(
  socketPath: string,
  fx: ClusterFixtures,
  ns: string,
  poolName: string,
  node: string,
): Promise<string> {
  const binary = join(process.cwd(), 'dist', 'cni', 'bin', 'spiderpool');
  if (!existsSync(binary)) return 'CNI ADD via the packaged binary: skipped (run nx run cni:package first)';
  const n = 50;
  const pods = await fx.pods(
    ns,
    Array.from({ length: n }, (_, i) => ({
      name: `cni-${i}`,
      nodeName: node,
      annotations: { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: [poolName] }) },
    })),
  );
  const { execFile } = await import('node:child_process');
  const netconf = JSON.stringify({
    cniVersion: '1.0.0',
    name: 'bench',
    type: 'macvlan',
    ipam: {
      type: 'spiderpool',
      ipam_unix_socket_path: socketPath,
      log_file_path: join(tmpdir(), 'spiderpool-bench-cni.log'),
    },
  });
  const times: number[] = [];
  let failures = 0;
  let firstFailure = '';
  for (const [i, p] of pods.entries()) {
    const t = performance.now();
    const ok = await new Promise<boolean>((resolve) => {
      const child = execFile(
        binary,
        [],
        {
          env: {
            CNI_COMMAND: 'ADD',
            CNI_CONTAINERID: `cni-bench-${i}`,
            CNI_NETNS: '/var/run/netns/bench',
            CNI_IFNAME: 'eth0',
            CNI_PATH: '/opt/cni/bin',
            CNI_ARGS: `K8S_POD_NAMESPACE=${ns};K8S_POD_NAME=${p.metadata?.name};K8S_POD_UID=${p.metadata?.uid}`,
          },
        },
        (err, stdout) => {
          if (err && firstFailure === '') firstFailure = `${err.message} ${stdout}`.slice(0, 300);
          resolve(err === null);
        },
      );
      child.stdin?.end(netconf);
    });
    times.push(performance.now() - t);
    if (!ok) failures++;
  }
  times.sort((a, b) => a - b);
  const tail = failures > 0 ? ` (${failures} failed: ${firstFailure})` : '';
  return `CNI ADD via the packaged binary (sequential, ${n} pods, fork+exec included): p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))}${tail}`;
}

async function main(): Promise<void> {
  const cp = await plane();
  const kc = new KubeConfig();
  kc.loadFromFile(cp.kubeconfig);
  const fx = new ClusterFixtures(kc);
  const suffix = randomBytes(3).toString('hex');
  const logger = pino({ level: process.env['BENCH_LOG'] ?? 'silent' });
  const ns = testNamespace('agent-bench');
  const poolName = `bench-${suffix}`;
  let fleet: AgentFleet | undefined;
  try {
    const rawPerSecond = await rawCeiling(fx, `raw-${suffix}`);
    await fx.namespace(ns);
    await fx.pool(poolName, {
      subnet: '10.220.0.0/16',
      ips: ['10.220.0.1-10.220.3.232'],
      gateway: '10.220.255.254',
    });
    const pods = await fx.pods(
      ns,
      Array.from({ length: PODS }, (_, i) => ({
        name: `pod-${i}`,
        nodeName: `bench-${suffix}-${i % AGENTS}`,
        annotations: { 'ipam.spidernet.io/ippool': JSON.stringify({ ipv4: [poolName] }) },
      })),
    );
    const rssBefore = process.memoryUsage().rss;
    fleet = await AgentFleet.start(kc, { size: AGENTS, nodePrefix: `bench-${suffix}`, logger });
    const agents = fleet.agents;
    const call = async (
      i: number,
      method: string,
      body: unknown,
    ): Promise<{ ms: number; ok: boolean; text: string }> => {
      const t = performance.now();
      const r = await httpCall(
        { socketPath: (agents[i % AGENTS] as (typeof agents)[number]).socketPath },
        method,
        '/v1/ipam/ip',
        body,
      );
      return { ms: performance.now() - t, ok: r.status === 200, text: r.text };
    };
    const addStart = performance.now();
    const adds = await Promise.all(
      pods.map((p, i) =>
        call(i, 'POST', {
          containerID: `c-${i}`,
          ifName: 'eth0',
          netNamespace: '/x',
          podNamespace: ns,
          podName: p.metadata?.name,
          podUID: p.metadata?.uid,
        }),
      ),
    );
    const addSeconds = (performance.now() - addStart) / 1000;
    const rssPeak = process.memoryUsage().rss;
    const metricsText = (await Promise.all(agents.map((a) => a.metrics.text()))).join('\n');
    await fx.deleteAllPods(ns);
    const delStart = performance.now();
    const dels = await Promise.all(
      pods.map((p, i) =>
        call(i, 'DELETE', {
          containerID: `c-${i}`,
          ifName: 'eth0',
          podNamespace: ns,
          podName: p.metadata?.name,
          podUID: p.metadata?.uid,
        }),
      ),
    );
    const delSeconds = (performance.now() - delStart) / 1000;
    const sum = (name: string): number =>
      metricsText
        .split('\n')
        .filter((l) => l.startsWith(`${name} `))
        .reduce((acc, l) => acc + Number(l.split(' ')[1]), 0);
    const addMs = adds.map((a) => a.ms).sort((a, b) => a - b);
    const delMs = dels.map((a) => a.ms).sort((a, b) => a - b);
    const batches = sum('spiderpool_ipam_ippool_write_batch_size_count');
    const ok = adds.filter((a) => a.ok).length;
    const lines = [
      `agent allocation benchmark (${AGENTS} agents × ${PODS / AGENTS} pods, one ${PODS}-IP pool, one process)`,
      `raw ceiling (1 writer, GET+PUT /status on one SpiderIPPool): ${rawPerSecond.toFixed(1)} writes/s`,
      `ADD: ${ok}/${PODS} ok in ${addSeconds.toFixed(2)} s → ${(ok / addSeconds).toFixed(1)} allocations/s (${(ok / addSeconds / rawPerSecond).toFixed(2)}× raw ceiling); p50 ${ms(pct(addMs, 50))}, p99 ${ms(pct(addMs, 99))}`,
      `     pool writes: ${batches} (mean batch ${(ok / Math.max(1, batches)).toFixed(1)} requests), conflicts: ${sum('spiderpool_ipam_allocation_update_ippool_conflict_counts_total')}`,
      `DEL: ${dels.filter((d) => d.ok).length}/${PODS} ok in ${delSeconds.toFixed(2)} s → ${(PODS / delSeconds).toFixed(1)} releases/s; p50 ${ms(pct(delMs, 50))}, p99 ${ms(pct(delMs, 99))}; conflicts: ${sum('spiderpool_ipam_release_update_ippool_conflict_counts_total')}`,
      `RSS: process ${mib(rssPeak)} at peak (${mib(rssPeak - rssBefore)} for ${AGENTS} agents → ~${mib((rssPeak - rssBefore) / AGENTS)} per agent incl. its informer caches)`,
    ];
    lines.push(await processRss(cp.kubeconfig, fx, ns, poolName, suffix));
    const failures = adds
      .filter((a) => !a.ok)
      .slice(0, 3)
      .map((a) => a.text);
    if (failures.length > 0) lines.push(`first ADD failures: ${failures.join(' | ')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await fleet?.close();
    await fx.deleteAllPods(ns).catch(() => undefined);
    await fx.deletePool(poolName);
    await fx.core.deleteNamespace({ name: ns }).catch(() => undefined);
    await cp.stop();
  }
}

await main();
