// Public entry of @spiderpool/k8s-runtime: the one controller runtime every loop uses (ADR 0007).
export * from './lib/errors.js';
export * from './lib/log-fields.js';
export * from './lib/clock.port.js';
export * from './lib/object-key.js';
export * from './lib/predicates.js';
export * from './lib/runtime-metrics.js';
export * from './lib/work-queue.js';
export * from './lib/list-watch.port.js';
export * from './lib/object-cache.js';
export * from './lib/informer.js';
export * from './lib/keep-alive-kube-config.js';
export * from './lib/kube-list-watch.source.js';
export * from './lib/reconciler.port.js';
export * from './lib/controller.js';
export * from './lib/lease-client.port.js';
export * from './lib/kube-lease.client.js';
export * from './lib/leader-election.js';
export * from './lib/leader-gate.js';
export * from './lib/k8s-error-code.js';
export * from './lib/retry-on-conflict.js';
export * from './lib/event-sink.port.js';
export * from './lib/event-recorder.js';
export * from './lib/kube-event.sink.js';
export * from './lib/conditions.js';
// Test doubles for the apps' unit tests (house style §18: ports + *.fake.ts).
export { FakeClock, flushAsync } from './lib/clock.fake.js';
export { FakeListWatchSource, FakeWatchStream } from './lib/list-watch.fake.js';
export { FakeLeaseStore } from './lib/lease-client.fake.js';
