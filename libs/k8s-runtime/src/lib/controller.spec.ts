import { Registry } from 'prom-client';
import { FakeClock, flushAsync } from './clock.fake.js';
import { Controller, mapFromLabel, mapToControllerOwner } from './controller.js';
import { TerminalError } from './errors.js';
import { Informer } from './informer.js';
import { FakeListWatchSource } from './list-watch.fake.js';
import { captureLogger } from './logger.fake.js';
import { formatKey, type KubeObject, type ObjectKey } from './object-key.js';
import { generationChanged } from './predicates.js';
import type { ReconcileContext, ReconcileResult, Reconciler } from './reconciler.port.js';
import { runtimeMetrics } from './runtime-metrics.js';

type Behaviour = (key: ObjectKey, ctx: ReconcileContext) => Promise<ReconcileResult>;

class ScriptedReconciler implements Reconciler {
  calls: string[] = [];
  contexts: ReconcileContext[] = [];
  behaviour: Behaviour = async () => ({});

  reconcile(key: ObjectKey, ctx: ReconcileContext): Promise<ReconcileResult> {
    this.calls.push(formatKey(key));
    this.contexts.push(ctx);
    return this.behaviour(key, ctx);
  }
}

const pool = (name: string, rv: string, generation = 1, labels?: Record<string, string>): KubeObject => ({
  metadata: { name, resourceVersion: rv, generation, ...(labels ? { labels } : {}) },
});

function setup(extra: { maxRetries?: number; drainTimeoutMs?: number } = {}) {
  const clock = new FakeClock();
  const registry = new Registry();
  const metrics = runtimeMetrics(registry);
  const { logger, records } = captureLogger();
  const poolSource = new FakeListWatchSource<KubeObject>();
  const podSource = new FakeListWatchSource<KubeObject>();
  const pools = new Informer({ name: 'pools', source: poolSource, logger, clock, metrics });
  const pods = new Informer({ name: 'pods', source: podSource, logger, clock, metrics });
  const reconciler = new ScriptedReconciler();
  const terminal: Array<[string, string]> = [];
  let ids = 0;
  const controller = new Controller({
    name: 'ippool',
    kind: 'SpiderIPPool',
    reconciler,
    logger,
    clock,
    metrics,
    concurrency: 2,
    backoff: { baseMs: 100, maxMs: 1000 },
    onTerminal: (key, err) => void terminal.push([formatKey(key), err.reason]),
    newReconcileId: () => `r${++ids}`,
    ...extra,
  })
    .watchPrimary(pools, { predicates: [generationChanged] })
    .watchSecondary(pods, mapFromLabel('pool'));
  const results = async (): Promise<Record<string, number>> => {
    const m = await registry.getSingleMetric('spiderpool_controller_reconciles_total')?.get();
    return Object.fromEntries((m?.values ?? []).map((v) => [String(v.labels['result']), v.value]));
  };
  return { clock, poolSource, podSource, pools, pods, reconciler, controller, terminal, records, results };
}

async function startAll(s: ReturnType<typeof setup>): Promise<void> {
  s.pools.start();
  s.pods.start();
  await s.controller.start();
  await flushAsync();
}

describe('Controller', () => {
  it('reconciles every primary object once after sync, with a bound child logger', async () => {
    const s = setup();
    s.poolSource.nextList = { items: [pool('a', '1'), pool('b', '2')], resourceVersion: '2' };
    await startAll(s);
    expect(s.reconciler.calls.sort()).toEqual(['a', 'b']);
    const line = s.records.find((r) => r['msg'] === 'reconciled' && r['name'] === 'a');
    expect(line).toMatchObject({ controller: 'ippool', kind: 'SpiderIPPool', name: 'a' });
    expect(String(line?.['reconcileId'])).toMatch(/^r\d$/);
    await s.controller.stop();
  });

  it('applies predicates to updates, and maps secondary objects to primary keys', async () => {
    const s = setup();
    s.poolSource.nextList = { items: [pool('a', '1')], resourceVersion: '1' };
    await startAll(s);
    s.reconciler.calls = [];
    s.poolSource.current().emit({ type: 'MODIFIED', object: pool('a', '2', 1) }); // status-only: filtered
    await flushAsync();
    expect(s.reconciler.calls).toEqual([]);
    s.poolSource.current().emit({ type: 'MODIFIED', object: pool('a', '3', 2) });
    await flushAsync();
    expect(s.reconciler.calls).toEqual(['a']);
    s.podSource.current().emit({
      type: 'ADDED',
      object: { metadata: { namespace: 'ns', name: 'p', resourceVersion: '5', labels: { pool: 'z' } } },
    });
    await flushAsync();
    expect(s.reconciler.calls).toEqual(['a', 'z']);
    await s.controller.stop();
  });

  it('retries thrown errors with per-key backoff and resets after success', async () => {
    const s = setup();
    s.poolSource.nextList = { items: [pool('a', '1')], resourceVersion: '1' };
    let failures = 2;
    s.reconciler.behaviour = async () => {
      if (failures-- > 0) throw new Error('transient');
      return {};
    };
    await startAll(s);
    expect(s.reconciler.calls).toEqual(['a']);
    await s.clock.advance(99);
    expect(s.reconciler.calls).toHaveLength(1);
    await s.clock.advance(1);
    expect(s.reconciler.calls).toHaveLength(2);
    await s.clock.advance(200);
    expect(s.reconciler.calls).toHaveLength(3);
    expect(s.reconciler.contexts.map((c) => c.retries)).toEqual([0, 1, 2]);
    expect(await s.results()).toEqual({ error: 2, success: 1 });
    expect(
      s.records.filter((r) => r['msg'] === 'reconcile failed, retrying' && r['level'] === 40),
    ).toHaveLength(2);
    await s.controller.stop();
  });

  it('TerminalError is reported through onTerminal and not retried', async () => {
    const s = setup();
    s.poolSource.nextList = { items: [pool('bad', '1')], resourceVersion: '1' };
    s.reconciler.behaviour = async () => {
      throw new TerminalError('gateway outside subnet', { reason: 'InvalidSpec' });
    };
    await startAll(s);
    await s.clock.advance(60_000);
    expect(s.reconciler.calls).toEqual(['bad']);
    expect(s.terminal).toEqual([['bad', 'InvalidSpec']]);
    expect(await s.results()).toEqual({ terminal: 1 });
    await s.controller.stop();
  });

  it('requeueAfterMs reconciles again after the delay', async () => {
    const s = setup();
    s.poolSource.nextList = { items: [pool('a', '1')], resourceVersion: '1' };
    s.reconciler.behaviour = async () => ({ requeueAfterMs: 5000 });
    await startAll(s);
    await s.clock.advance(4999);
    expect(s.reconciler.calls).toHaveLength(1);
    await s.clock.advance(1);
    expect(s.reconciler.calls).toHaveLength(2);
    await s.controller.stop({ drain: false });
  });

  it('drops a key after maxRetries', async () => {
    const s = setup({ maxRetries: 2 });
    s.poolSource.nextList = { items: [pool('a', '1')], resourceVersion: '1' };
    s.reconciler.behaviour = async () => {
      throw new Error('always');
    };
    await startAll(s);
    await s.clock.advance(10_000);
    expect(s.reconciler.calls).toHaveLength(3);
    expect(await s.results()).toEqual({ error: 2, 'gave-up': 1 });
    await s.controller.stop();
  });

  it('never runs the same key concurrently, but runs distinct keys in parallel', async () => {
    const s = setup();
    s.poolSource.nextList = { items: [pool('a', '1'), pool('b', '1')], resourceVersion: '1' };
    let active = 0;
    let maxActive = 0;
    const activeKeys = new Set<string>();
    const releases: Array<() => void> = [];
    let overlap = false;
    s.reconciler.behaviour = async (key) => {
      const k = formatKey(key);
      if (activeKeys.has(k)) overlap = true;
      activeKeys.add(k);
      maxActive = Math.max(maxActive, ++active);
      await new Promise<void>((r) => releases.push(r));
      active--;
      activeKeys.delete(k);
      return {};
    };
    await startAll(s);
    s.poolSource.current().emit({ type: 'MODIFIED', object: pool('a', '2', 2) });
    await flushAsync();
    expect(maxActive).toBe(2);
    while (releases.length) {
      releases.shift()?.();
      await flushAsync();
    }
    expect(overlap).toBe(false);
    expect(s.reconciler.calls.filter((c) => c === 'a')).toHaveLength(2);
    await s.controller.stop();
  });

  it('stop({ drain: true }) drains the queue, but only until drainTimeoutMs: then aborts and drops the rest', async () => {
    const s = setup({ drainTimeoutMs: 1_000 });
    s.poolSource.nextList = {
      items: ['a', 'b', 'c', 'd', 'e'].map((n) => pool(n, '1')),
      resourceVersion: '1',
    };
    // Every reconcile hangs until its signal aborts, as a slow API call would.
    const aborted: string[] = [];
    s.reconciler.behaviour = (key, ctx) =>
      new Promise((resolve) => {
        ctx.signal.addEventListener('abort', () => {
          aborted.push(formatKey(key));
          resolve({});
        });
      });
    await startAll(s);
    expect(s.reconciler.calls).toEqual(['a', 'b']); // concurrency 2; c, d, e queued
    let stopped = false;
    const stopping = s.controller.stop({ drain: true }).then(() => (stopped = true));
    await s.clock.advance(999);
    expect(stopped).toBe(false);
    await s.clock.advance(1);
    await stopping;
    expect(aborted.sort()).toEqual(['a', 'b']);
    expect(s.reconciler.calls).toEqual(['a', 'b']); // the backlog was dropped, not worked through
    expect(s.records.some((r) => String(r['msg']).startsWith('drain timed out'))).toBe(true);
  });

  it('stop({ drain: false }) aborts ctx.signal; start again re-enqueues every primary object', async () => {
    const s = setup();
    s.poolSource.nextList = { items: [pool('a', '1')], resourceVersion: '1' };
    let seen: AbortSignal | undefined;
    let release!: () => void;
    s.reconciler.behaviour = async (_k, ctx) => {
      seen = ctx.signal;
      await new Promise<void>((r) => (release = r));
      return {};
    };
    await startAll(s);
    const stopping = s.controller.stop({ drain: false });
    expect(seen?.aborted).toBe(true);
    release();
    await stopping;
    expect(s.controller.isRunning()).toBe(false);
    s.reconciler.behaviour = async () => ({});
    await s.controller.start();
    await flushAsync();
    expect(s.reconciler.calls).toEqual(['a', 'a']);
    await s.controller.stop();
  });
});

describe('key mappers', () => {
  it('mapToControllerOwner follows the controller reference of the given kind', () => {
    const map = mapToControllerOwner('StatefulSet');
    const pod: KubeObject = {
      metadata: {
        namespace: 'ns',
        name: 'web-0',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Other', name: 'x', uid: '1', controller: false },
          { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: '2', controller: true },
        ],
      },
    };
    expect(map(pod)).toEqual([{ namespace: 'ns', name: 'web' }]);
    expect(map({ metadata: { name: 'n' } })).toEqual([]);
  });
});
