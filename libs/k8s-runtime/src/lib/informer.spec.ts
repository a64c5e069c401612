import { Registry } from 'prom-client';
import { FakeClock, flushAsync } from './clock.fake.js';
import { InformerGaveUpError, InformerStoppedError } from './errors.js';
import { Informer } from './informer.js';
import { FakeListWatchSource } from './list-watch.fake.js';
import { captureLogger } from './logger.fake.js';
import { labelIndex } from './object-cache.js';
import type { KubeObject } from './object-key.js';
import { runtimeMetrics } from './runtime-metrics.js';

const cm = (name: string, rv: string, labels?: Record<string, string>): KubeObject => ({
  metadata: { namespace: 'ns', name, resourceVersion: rv, ...(labels ? { labels } : {}) },
});

function setup(opts: { maxConsecutiveFailures?: number; resyncPeriodMs?: number } = {}) {
  const clock = new FakeClock();
  const registry = new Registry();
  const source = new FakeListWatchSource<KubeObject>();
  const { logger, records } = captureLogger();
  const informer = new Informer<KubeObject>({
    name: 'configmaps',
    source,
    logger,
    clock,
    metrics: runtimeMetrics(registry),
    indexers: { byApp: labelIndex('app') },
    backoff: { baseMs: 100, maxMs: 400 },
    ...opts,
  });
  const events: string[] = [];
  informer.on({
    add: (o) => events.push(`add ${o.metadata?.name}@${o.metadata?.resourceVersion}`),
    update: (o, n) =>
      events.push(
        `update ${n.metadata?.name}@${o.metadata?.resourceVersion}->${n.metadata?.resourceVersion}`,
      ),
    delete: (o) => events.push(`delete ${o.metadata?.name}@${o.metadata?.resourceVersion}`),
  });
  const lifecycle = async (event: string): Promise<number> => {
    const metric = await registry.getSingleMetric('spiderpool_informer_lifecycle_events_total')?.get();
    return metric?.values.find((v) => v.labels['event'] === event)?.value ?? 0;
  };
  return { clock, source, informer, events, records, lifecycle };
}

describe('Informer', () => {
  it('is inert until started', () => {
    const { source, informer } = setup();
    expect(source.listCalls).toBe(0);
    expect(informer.hasSynced()).toBe(false);
  });

  it('lists, syncs, then watches from the list resourceVersion and applies events', async () => {
    const { source, informer, events, lifecycle } = setup();
    source.nextList = { items: [cm('a', '5', { app: 'x' })], resourceVersion: '10' };
    informer.start();
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    await flushAsync();
    expect(source.current().resourceVersion).toBe('10');
    source.current().emit({ type: 'ADDED', object: cm('b', '11', { app: 'x' }) });
    source.current().emit({ type: 'MODIFIED', object: cm('a', '12', { app: 'y' }) });
    source.current().emit({ type: 'BOOKMARK', resourceVersion: '15' });
    expect(informer.get('ns/a')?.metadata?.resourceVersion).toBe('12');
    expect(informer.get({ namespace: 'ns', name: 'b' })).toBeDefined();
    expect(informer.byIndex('byApp', 'x').map((o) => o.metadata?.name)).toEqual(['b']);
    expect(informer.byIndex('byApp', 'y').map((o) => o.metadata?.name)).toEqual(['a']);
    source.current().emit({ type: 'DELETED', object: cm('b', '16') });
    expect(informer.list()).toHaveLength(1);
    expect(informer.byIndex('byApp', 'x')).toEqual([]);
    expect(informer.lastResourceVersion()).toBe('16');
    expect(events).toEqual(['add a@5', 'add b@11', 'update a@5->12', 'delete b@11']);
    expect(await lifecycle('connected')).toBe(1);
    await informer.stop();
  });

  it('reconnects from the last resourceVersion after a normal close, without relisting', async () => {
    const { source, informer, lifecycle } = setup();
    informer.start();
    await informer.waitForSync();
    await flushAsync();
    source.current().emit({ type: 'BOOKMARK', resourceVersion: '42' });
    source.current().close();
    await flushAsync();
    expect(source.watches).toHaveLength(2);
    expect(source.current().resourceVersion).toBe('42');
    expect(source.listCalls).toBe(1);
    expect(await lifecycle('connected')).toBe(2);
    await informer.stop();
  });

  it('relists on a 410 ERROR event and delivers the difference', async () => {
    const { source, informer, events, lifecycle, records } = setup();
    source.nextList = { items: [cm('a', '1'), cm('b', '2')], resourceVersion: '2' };
    informer.start();
    await informer.waitForSync();
    await flushAsync();
    source.nextList = { items: [cm('a', '1'), cm('c', '9')], resourceVersion: '9' };
    source.current().emit({ type: 'ERROR', status: { code: 410, reason: 'Expired' } });
    await flushAsync();
    expect(source.listCalls).toBe(2);
    expect(source.current().resourceVersion).toBe('9');
    expect(events).toEqual(['add a@1', 'add b@2', 'add c@9', 'delete b@2']);
    expect(await lifecycle('resource-version-expired')).toBe(1);
    expect(await lifecycle('relisted')).toBe(1);
    expect(records.some((r) => r['event'] === 'relisted' && r['informer'] === 'configmaps')).toBe(true);
    await informer.stop();
  });

  it('relists when the watch request itself fails with HTTP 410', async () => {
    const { source, informer, lifecycle } = setup();
    informer.start();
    await informer.waitForSync();
    await flushAsync();
    source.watchFailures.push(Object.assign(new Error('Gone'), { statusCode: 410 }));
    source.current().close();
    await flushAsync();
    expect(source.listCalls).toBe(2);
    expect(await lifecycle('resource-version-expired')).toBe(1);
    await informer.stop();
  });

  it('backs off after errors and resets after success', async () => {
    const { clock, source, informer, lifecycle } = setup();
    source.listFailures.push(new Error('boom'), new Error('boom'));
    informer.start();
    await flushAsync();
    expect(source.listCalls).toBe(1);
    await clock.advance(99);
    expect(source.listCalls).toBe(1);
    await clock.advance(1);
    expect(source.listCalls).toBe(2);
    await clock.advance(199);
    expect(source.listCalls).toBe(2);
    await clock.advance(1);
    expect(source.listCalls).toBe(3);
    expect(informer.hasSynced()).toBe(true);
    expect(await lifecycle('watch-error')).toBe(2);
    source.current().close(new Error('reset'));
    await flushAsync();
    expect(source.watches).toHaveLength(1);
    await clock.advance(100); // backoff restarted at base
    expect(source.watches).toHaveLength(2);
    await informer.stop();
  });

  it('gives up after maxConsecutiveFailures and rejects waitForSync', async () => {
    const { clock, source, informer, lifecycle } = setup({ maxConsecutiveFailures: 3 });
    source.listFailures.push(new Error('a'), new Error('b'), new Error('c'));
    informer.start();
    const sync = informer.waitForSync();
    await clock.advance(1000);
    await expect(sync).rejects.toBeInstanceOf(InformerGaveUpError);
    expect(await lifecycle('gave-up')).toBe(1);
    expect(source.listCalls).toBe(3);
    await clock.advance(10_000);
    expect(source.listCalls).toBe(3);
  });

  it('stop before sync rejects waiters with InformerStoppedError and closes the watch', async () => {
    const { source, informer } = setup();
    source.listFailures.push(new Error('x'));
    informer.start();
    const sync = informer.waitForSync();
    await informer.stop();
    await expect(sync).rejects.toBeInstanceOf(InformerStoppedError);

    const second = setup();
    second.informer.start();
    await second.informer.waitForSync();
    await flushAsync();
    await second.informer.stop();
    expect(second.source.current().stopped).toBe(true);
    expect(second.informer.hasSynced()).toBe(false);
  });

  it('resyncs by re-delivering cached objects as updates', async () => {
    const { clock, source, informer, events } = setup({ resyncPeriodMs: 1000 });
    source.nextList = { items: [cm('a', '1')], resourceVersion: '1' };
    informer.start();
    await informer.waitForSync();
    await clock.advance(1000);
    expect(events).toEqual(['add a@1', 'update a@1->1']);
    await informer.stop();
  });

  it('a throwing handler does not break the informer', async () => {
    const { source, informer, records } = setup();
    informer.on({
      add: () => {
        throw new Error('handler bug');
      },
    });
    informer.start();
    await informer.waitForSync();
    await flushAsync();
    source.current().emit({ type: 'ADDED', object: cm('z', '3') });
    expect(informer.get('ns/z')).toBeDefined();
    expect(records.some((r) => r['level'] === 50)).toBe(true);
    await informer.stop();
  });
});
