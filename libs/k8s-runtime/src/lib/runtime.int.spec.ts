/**
 * Int tier: the runtime against a real kube-apiserver (started by the int globalSetup; kubeconfig in
 * SPIDERPOOL_TEST_KUBECONFIG). Faults are injected at the client layer (house style §18).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { CoreV1Api, EventsV1Api, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ConflictRetriesExhaustedError } from './errors.js';
import { EventRecorder } from './event-recorder.js';
import { Informer } from './informer.js';
import { k8sErrorCode } from './k8s-error-code.js';
import { KubeEventSink } from './kube-event.sink.js';
import { KubeLeaseClient } from './kube-lease.client.js';
import { KubeListWatchSource } from './kube-list-watch.source.js';
import { LeaderElector } from './leader-election.js';
import type { LeaseClient } from './lease-client.port.js';
import type { ListResult, ListWatchSource, WatchHandle, WatchHandlers } from './list-watch.port.js';
import type { KubeObject } from './object-key.js';
import { retryOnConflict } from './retry-on-conflict.js';
import { runtimeMetrics } from './runtime-metrics.js';

const kubeconfigPath = process.env['SPIDERPOOL_TEST_KUBECONFIG'];
if (!kubeconfigPath || !existsSync(kubeconfigPath)) {
  throw new Error('SPIDERPOOL_TEST_KUBECONFIG is not set: run through `nx run k8s-runtime:test-int`');
}
const kc = new KubeConfig();
kc.loadFromFile(kubeconfigPath);
const core = kc.makeApiClient(CoreV1Api);
const logger = pino({ level: 'silent' });
const ns = `k8s-runtime-${randomBytes(4).toString('hex')}`;

async function waitUntil(
  what: string,
  fn: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<number> {
  const start = Date.now();
  while (!(await fn())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
  return Date.now() - start;
}

const configMap = (name: string, data: Record<string, string> = {}): V1ConfigMap => ({
  metadata: { name, namespace: ns },
  data,
});

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: ns } } });
});

afterAll(async () => {
  await core.deleteNamespace({ name: ns }).catch(() => undefined);
});

/** Wraps the real source; `expire()` ends the current watch with a 410 ERROR event, as the server would. */
class ExpiringSource<T extends KubeObject> implements ListWatchSource<T> {
  private active: { handle: WatchHandle; handlers: WatchHandlers<T> } | undefined;
  lists = 0;

  constructor(private readonly inner: ListWatchSource<T>) {}

  list(signal: AbortSignal): Promise<ListResult<T>> {
    this.lists++;
    return this.inner.list(signal);
  }

  async watch(resourceVersion: string, handlers: WatchHandlers<T>): Promise<WatchHandle> {
    const handle = await this.inner.watch(resourceVersion, handlers);
    this.active = { handle, handlers };
    return handle;
  }

  expire(): void {
    this.active?.handlers.onEvent({
      type: 'ERROR',
      status: { code: 410, reason: 'Expired', message: 'injected' },
    });
  }
}

describe('Informer on a real API server', () => {
  it('lists, watches add/update/delete, and relists after resourceVersion expiry', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('pre-existing') });
    const registry = new Registry();
    const source = new ExpiringSource(
      new KubeListWatchSource<V1ConfigMap>(
        kc,
        { apiVersion: 'v1', plural: 'configmaps', namespace: ns },
        { pageSize: 2 },
      ),
    );
    const informer = new Informer<V1ConfigMap>({
      name: 'configmaps',
      source,
      logger,
      metrics: runtimeMetrics(registry),
      backoff: { baseMs: 100, maxMs: 1000 },
    });
    const seen: string[] = [];
    informer.on({
      add: (o) => seen.push(`add ${o.metadata?.name}`),
      update: (_o, n) => seen.push(`update ${n.metadata?.name} ${n.data?.['v'] ?? ''}`),
      delete: (o) => seen.push(`delete ${o.metadata?.name}`),
    });
    informer.start();
    try {
      await informer.waitForSync();
      expect(informer.get({ namespace: ns, name: 'pre-existing' })).toBeDefined();

      await core.createNamespacedConfigMap({ namespace: ns, body: configMap('a', { v: '1' }) });
      await waitUntil('add a', () => seen.includes('add a'));
      await core.replaceNamespacedConfigMap({ name: 'a', namespace: ns, body: configMap('a', { v: '2' }) });
      await waitUntil('update a', () => seen.includes('update a 2'));
      expect(informer.get(`${ns}/a`)?.data?.['v']).toBe('2');

      // Expire the watch; while the informer relists, the world changes; the relist delivers the difference.
      const listsBefore = source.lists;
      await core.deleteNamespacedConfigMap({ name: 'pre-existing', namespace: ns });
      await core.createNamespacedConfigMap({ namespace: ns, body: configMap('b') });
      source.expire();
      await waitUntil('relist', () => source.lists > listsBefore && informer.get(`${ns}/b`) !== undefined);
      expect(informer.get(`${ns}/pre-existing`)).toBeUndefined();
      expect(seen).toContain('delete pre-existing');
      const count = async (e: string): Promise<number> => {
        const events = await registry.getSingleMetric('spiderpool_informer_lifecycle_events_total')?.get();
        return events?.values.find((v) => v.labels['event'] === e)?.value ?? 0;
      };
      expect(await count('resource-version-expired')).toBe(1);
      expect(await count('relisted')).toBe(1);
      // The watch after the relist is opened asynchronously: wait for its `connected` event.
      let connected = 0;
      await waitUntil('watch re-connected', async () => (connected = await count('connected')) >= 2);
      expect(connected).toBeGreaterThanOrEqual(2);

      // The new watch is live.
      await core.deleteNamespacedConfigMap({ name: 'a', namespace: ns });
      await waitUntil('delete a', () => seen.includes('delete a'));
    } finally {
      await informer.stop();
    }
  });
});

/** A LeaseClient whose calls can be made to fail, to simulate a leader cut off from the API server. */
class SeverableLeaseClient implements LeaseClient {
  severed = false;
  constructor(private readonly inner: LeaseClient) {}
  private guard(): void {
    if (this.severed) throw new Error('connection refused (injected)');
  }
  async get() {
    this.guard();
    return this.inner.get();
  }
  async create(...args: Parameters<LeaseClient['create']>) {
    this.guard();
    return this.inner.create(...args);
  }
  async update(...args: Parameters<LeaseClient['update']>) {
    this.guard();
    return this.inner.update(...args);
  }
}

describe('LeaderElector on a real Lease', () => {
  const timing = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 400, retryGapMs: 200 };

  function elector(leaseName: string, identity: string) {
    const client = new SeverableLeaseClient(new KubeLeaseClient(kc, ns, leaseName));
    const terms: string[] = [];
    const e = new LeaderElector({
      leaseName: `${ns}/${leaseName}`,
      identity,
      client,
      timing,
      logger,
      metrics: runtimeMetrics(new Registry()),
      callbacks: {
        onStartedLeading: () => void terms.push('started'),
        onStoppedLeading: (reason) => void terms.push(`stopped:${reason}`),
      },
    });
    return { e, client, terms };
  }

  it('fails over to the other candidate when the leader stops gracefully (lease released)', async () => {
    const a = elector('graceful', 'a');
    const b = elector('graceful', 'b');
    a.e.start();
    await waitUntil('a leads', () => a.e.isLeader());
    b.e.start();
    await waitUntil('b observes a', () => b.e.currentLeader() === 'a');
    expect(b.e.isLeader()).toBe(false);
    const stoppedAt = Date.now();
    await a.e.stop();
    await waitUntil('b leads', () => b.e.isLeader(), 10_000);
    process.stdout.write(`[leader-election] takeover after graceful release: ${Date.now() - stoppedAt} ms\n`);
    const lease = await new KubeLeaseClient(kc, ns, 'graceful').get();
    expect(lease?.record.holderIdentity).toBe('b');
    expect(lease?.record.leaseTransitions).toBe(1);
    expect(a.terms).toEqual(['started', 'stopped:shutdown']);
    await b.e.stop();
  });

  it('fails over within the lease duration when the leader is cut off', async () => {
    const a = elector('crash', 'a');
    const b = elector('crash', 'b');
    a.e.start();
    await waitUntil('a leads', () => a.e.isLeader());
    b.e.start();
    await waitUntil('b observes a', () => b.e.currentLeader() === 'a');
    const cutAt = Date.now();
    a.client.severed = true;
    await waitUntil('a steps down', () => !a.e.isLeader(), 10_000);
    await waitUntil('b leads', () => b.e.isLeader(), 10_000);
    process.stdout.write(`[leader-election] takeover after leader cut off: ${Date.now() - cutAt} ms\n`);
    expect(a.terms).toEqual(['started', 'stopped:lost']);
    a.client.severed = false;
    await delay(timing.retryPeriodMs * 3);
    expect(a.e.isLeader()).toBe(false); // a does not steal the lease back while b renews
    await a.e.stop();
    await b.e.stop();
  });
});

describe('retryOnConflict with real resourceVersions', () => {
  it('concurrent read-decide-write loops never lose an update', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('counter', { count: '0' }) });
    let conflicts = 0;
    const increment = () =>
      retryOnConflict(
        () => core.readNamespacedConfigMap({ name: 'counter', namespace: ns }),
        (cm) => ({ ...cm, data: { count: String(Number(cm.data?.['count'] ?? '0') + 1) } }),
        async (next) => {
          try {
            return await core.replaceNamespacedConfigMap({ name: 'counter', namespace: ns, body: next });
          } catch (err) {
            if (k8sErrorCode(err) === 'Conflict') conflicts++;
            throw err;
          }
        },
        { attempts: 20, baseMs: 5, maxMs: 100 },
      );
    await Promise.all(Array.from({ length: 6 }, increment));
    const final = await core.readNamespacedConfigMap({ name: 'counter', namespace: ns });
    expect(final.data?.['count']).toBe('6');
    process.stdout.write(`[retryOnConflict] 6 concurrent increments, ${conflicts} conflicts retried\n`);
  });

  it('throws ConflictRetriesExhaustedError carrying the API server Conflict', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('contended', { v: '0' }) });
    const err = await retryOnConflict(
      () => core.readNamespacedConfigMap({ name: 'contended', namespace: ns }),
      (cm) => ({ ...cm, data: { v: 'mine' } }),
      async (next) => {
        // Someone else writes between our read and our write, every time.
        const current = await core.readNamespacedConfigMap({ name: 'contended', namespace: ns });
        await core.replaceNamespacedConfigMap({
          name: 'contended',
          namespace: ns,
          body: { ...current, data: { v: randomBytes(2).toString('hex') } },
        });
        return core.replaceNamespacedConfigMap({ name: 'contended', namespace: ns, body: next });
      },
      { attempts: 3, baseMs: 1, maxMs: 10 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictRetriesExhaustedError);
    expect(k8sErrorCode((err as Error).cause)).toBe('Conflict');
  });
});

describe('EventRecorder on a real API server', () => {
  it('creates an events.k8s.io/v1 Event and aggregates repeats into its series', async () => {
    const target = await core.createNamespacedConfigMap({ namespace: ns, body: configMap('evented') });
    const recorder = new EventRecorder({
      sink: new KubeEventSink(kc),
      reportingController: 'spiderpool.spidernet.io/spiderpool-controller',
      reportingInstance: 'int-test',
      logger,
    });
    const regarding = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: ns,
      name: 'evented',
      uid: target.metadata?.uid ?? '',
    };
    const input = {
      type: 'Warning' as const,
      reason: 'InvalidSpec',
      action: 'Reconcile',
      note: 'gateway outside subnet',
    };
    await recorder.record(regarding, input);
    await recorder.record(regarding, input);
    await recorder.record(regarding, input);
    const events = await kc.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: ns });
    const mine = events.items.filter((e) => e.regarding?.name === 'evented');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ reason: 'InvalidSpec', type: 'Warning', series: { count: 3 } });
  });
});
