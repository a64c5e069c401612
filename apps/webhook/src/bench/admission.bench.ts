// Admission latency benchmark (not a test): 50 concurrent SpiderIPPool creates through the API server, with this
// webhook registered for mutation and validation. Prints p50/p99; asserts nothing.
import { KubeConfig } from '@kubernetes/client-node';
import { installCrds, startControlPlane, stderrLogger, TEST_KUBECONFIG_ENV, type ControlPlane } from '@spiderpool/testing';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { KubeObject } from '../admission/kind-webhook.js';
import { InformerIPPoolIndex } from '../cluster/informer-ippool-index.js';
import { KubeClusterReader } from '../cluster/kube-cluster-reader.js';
import { parseWebhookConfig } from '../config/schema.js';
import { failureOf, KubeObjects } from '../int/kube-objects.int-kit.js';
import { registerWebhooks, unregisterWebhooks } from '../registration/webhook-registrar.js';
import { genTestCerts } from '../server/test-certs.fake.js';
import { startWebhookServer } from '../server/webhook-server.js';
import type { AdmissionMetrics } from '../observability/admission-metrics.js';
import { ADMISSION_METRICS } from '../observability/observability.tokens.js';

const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 50);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const G = 'spiderpool.spidernet.io/v2beta1';

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const workspace = process.env['BENCH_WORKSPACE_ROOT'] ?? process.cwd();
  let plane: ControlPlane | undefined;
  let kubeconfig = process.env[TEST_KUBECONFIG_ENV];
  if (!kubeconfig || !existsSync(kubeconfig)) {
    plane = await startControlPlane({ logger: stderrLogger, controllers: false });
    kubeconfig = plane.kubeconfigPath;
    await installCrds(kubeconfig, workspace, stderrLogger);
  }
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const k = new KubeObjects(kc);
  const dir = mkdtempSync(join(tmpdir(), 'wh-bench-'));
  const certs = await genTestCerts(dir, ['127.0.0.1'], process.env['BENCH_GEN_CERTS']);
  const parsed = parseWebhookConfig({ SPIDERPOOL_WEBHOOK_PORT: '0', SPIDERPOOL_WEBHOOK_HOST: '127.0.0.1', SPIDERPOOL_WEBHOOK_CERT_DIR: dir });
  if (!parsed.ok) throw new Error(parsed.issues.join());
  const logger = pino({ level: process.env['BENCH_LOG_LEVEL'] ?? 'silent' });
  // BENCH_POOL_INDEX=off measures the live-list path (every create lists all pools).
  const useIndex = process.env['BENCH_POOL_INDEX'] !== 'off';
  const poolIndex = useIndex ? InformerIPPoolIndex.fromKubeconfig(kubeconfig, logger) : undefined;
  const server = await startWebhookServer({ config: parsed.config, logger, reader: KubeClusterReader.fromKubeconfig(kubeconfig), ...(poolIndex ? { poolIndex } : {}) });
  await poolIndex?.waitForSync();
  const name = `spiderpool-webhook-bench-${process.pid}`;
  const created: KubeObject[] = [];
  try {
    await registerWebhooks(kc, { name, target: { url: `https://127.0.0.1:${server.port}` }, caPem: readFileSync(certs.caCert, 'utf8'), coordinatorEnabled: false, multusConfigEnabled: false });
    // Wait until the API server calls us.
    for (let i = 0; ; i++) {
      try {
        await k.create({ apiVersion: G, kind: 'SpiderReservedIP', metadata: { name: 'bench-probe' }, spec: { ipVersion: 4, ips: ['1.0.0.0/8'] } });
        await k.purge({ apiVersion: G, kind: 'SpiderReservedIP', metadata: { name: 'bench-probe' } });
      } catch (err) {
        if (failureOf(err).message.includes('spiderreservedip.spiderpool.spidernet.io')) break;
      }
      if (i > 100) throw new Error('webhook never called');
      await new Promise((r) => setTimeout(r, 200));
    }
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const batch = Array.from({ length: CONCURRENCY }, (_, i): KubeObject => {
        const n = round * CONCURRENCY + i;
        return { apiVersion: G, kind: 'SpiderIPPool', metadata: { name: `bench-${n}` }, spec: { subnet: `10.${100 + (n >> 8)}.${n & 255}.0/24`, ips: [`10.${100 + (n >> 8)}.${n & 255}.10-10.${100 + (n >> 8)}.${n & 255}.20`] } };
      });
      await Promise.all(
        batch.map(async (obj) => {
          const t0 = process.hrtime.bigint();
          await k.create(obj);
          samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
          created.push(obj);
        }),
      );
    }
    samples.sort((a, b) => a - b);
    process.stdout.write(
      `webhook admission bench: ${samples.length} SpiderIPPool creates, ${CONCURRENCY} concurrent, through the API server (mutate + validate, ${useIndex ? 'IPP-V6 informer pool index behind a read barrier + live re-check of candidates, IPP-V7 live label list' : 'live lists'})\n` +
        `  p50 ${quantile(samples, 0.5).toFixed(1)} ms   p99 ${quantile(samples, 0.99).toFixed(1)} ms   max ${(samples[samples.length - 1] ?? NaN).toFixed(1)} ms\n`,
    );
    // Time spent inside the webhook handlers (from its own histogram), to separate it from API server overhead.
    const metrics = server.app.get<symbol, AdmissionMetrics>(ADMISSION_METRICS);
    const hist = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === 'spiderpool_webhook_request_duration_seconds');
    const agg = new Map<string, { sum: number; count: number }>();
    for (const v of (hist?.values ?? []) as { metricName?: string; value: number; labels: Record<string, string | number> }[]) {
      const key = `${v.labels['webhook']} ${v.labels['kind']} ${v.labels['operation']}`;
      const a = agg.get(key) ?? { sum: 0, count: 0 };
      if (v.metricName?.endsWith('_sum')) a.sum += v.value;
      if (v.metricName?.endsWith('_count')) a.count += v.value;
      agg.set(key, a);
    }
    for (const [key, a] of agg) {
      if (a.count > 0) process.stdout.write(`  in-webhook mean ${key}: ${((a.sum / a.count) * 1000).toFixed(2)} ms over ${a.count}\n`);
    }
    if (poolIndex) {
      const { reached, timedOut } = poolIndex.barrierStats;
      process.stdout.write(`  IPP-V6 read barrier: reached ${reached}, timed out (live list) ${timedOut}\n`);
    }
  } finally {
    for (const obj of created) await k.purge(obj).catch(() => undefined);
    await unregisterWebhooks(kc, name).catch(() => undefined);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    await plane?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
