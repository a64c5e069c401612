import { FakeClock, flushAsync } from './clock.fake.js';
import { LeaderElectionError } from './errors.js';
import { LeaderElector, type StoppedLeadingReason } from './leader-election.js';
import { LeaderGate, type Runnable } from './leader-gate.js';
import { FakeLeaseStore } from './lease-client.fake.js';
import { captureLogger } from './logger.fake.js';

const timing = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, retryGapMs: 1_000 };

function candidate(store: FakeLeaseStore, clock: FakeClock, identity: string) {
  const log: string[] = [];
  const { logger } = captureLogger();
  const elector = new LeaderElector({
    leaseName: 'ns/spiderpool-controller-leases',
    identity,
    client: store.clientFor(),
    timing,
    clock,
    logger,
    random: () => 0,
    callbacks: {
      onStartedLeading: () => void log.push('started'),
      onStoppedLeading: (reason: StoppedLeadingReason) => void log.push(`stopped:${reason}`),
    },
  });
  return { elector, log };
}

describe('LeaderElector', () => {
  it('rejects inconsistent timing', () => {
    const { logger } = captureLogger();
    expect(
      () =>
        new LeaderElector({
          leaseName: 'l',
          identity: 'a',
          client: new FakeLeaseStore().clientFor(),
          timing: { ...timing, renewDeadlineMs: 20_000 },
          callbacks: { onStartedLeading: () => undefined, onStoppedLeading: () => undefined },
          logger,
        }),
    ).toThrow(LeaderElectionError);
  });

  it('creates the lease when missing and renews it every retry period', async () => {
    const clock = new FakeClock();
    const store = new FakeLeaseStore();
    const a = candidate(store, clock, 'a');
    a.elector.start();
    await flushAsync();
    expect(a.elector.isLeader()).toBe(true);
    expect(a.log).toEqual(['started']);
    expect(store.snapshot?.record).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    const firstRenew = store.snapshot?.record.renewTime ?? Number.NaN;
    await clock.advance(2_000);
    expect(store.snapshot?.record.renewTime).toBe(firstRenew + 2_000);
    expect(store.snapshot?.record.acquireTime).toBe(firstRenew);
    await a.elector.stop();
  });

  it('a follower waits for the lease duration measured from its own observation, then takes over', async () => {
    const clock = new FakeClock();
    const store = new FakeLeaseStore();
    const a = candidate(store, clock, 'a');
    const b = candidate(store, clock, 'b');
    a.elector.start();
    await flushAsync();
    b.elector.start();
    await flushAsync();
    expect(b.elector.isLeader()).toBe(false);
    expect(b.elector.currentLeader()).toBe('a');

    store.outage = new Error('a is partitioned'); // a cannot renew, b cannot read
    await clock.advance(10_000);
    expect(a.elector.isLeader()).toBe(false); // renew deadline passed
    expect(a.log).toEqual(['started', 'stopped:lost']);
    store.outage = undefined;
    // b last observed a change at t0, so for b the lease held by 'a' is valid until t0+15s; meanwhile a
    // campaigns again after the retry gap and, being the holder, simply renews: a new term for a.
    await clock.advance(2_000);
    expect(b.elector.isLeader()).toBe(false);
    expect(a.elector.isLeader()).toBe(true);
    expect(a.log).toEqual(['started', 'stopped:lost', 'started']);
    await clock.advance(20_000);
    expect(b.elector.isLeader()).toBe(false); // a keeps renewing, b keeps observing changes
    await a.elector.stop();
    await b.elector.stop();
  });

  it('takes over an expired lease of a dead leader and counts the transition', async () => {
    const clock = new FakeClock();
    const store = new FakeLeaseStore();
    store.snapshot = {
      resourceVersion: '7',
      record: {
        holderIdentity: 'dead',
        leaseDurationSeconds: 15,
        renewTime: 0,
        acquireTime: 0,
        leaseTransitions: 3,
      },
    };
    const b = candidate(store, clock, 'b');
    b.elector.start();
    await flushAsync();
    expect(b.elector.isLeader()).toBe(false); // first observation starts b's own clock
    await clock.advance(14_000);
    expect(b.elector.isLeader()).toBe(false);
    await clock.advance(2_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(store.snapshot?.record).toMatchObject({ holderIdentity: 'b', leaseTransitions: 4 });
    await b.elector.stop();
  });

  it('releases the lease on stop so a follower takes over at its next retry, not after the lease duration', async () => {
    const clock = new FakeClock();
    const store = new FakeLeaseStore();
    const a = candidate(store, clock, 'a');
    const b = candidate(store, clock, 'b');
    a.elector.start();
    await flushAsync();
    b.elector.start();
    await flushAsync();
    await a.elector.stop();
    expect(a.log).toEqual(['started', 'stopped:shutdown']);
    expect(store.snapshot?.record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    await clock.advance(2_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(store.holder()).toBe('b');
    await b.elector.stop();
  });

  it('steps down when onStartedLeading fails: releases the lease so another candidate takes over', async () => {
    const clock = new FakeClock();
    const store = new FakeLeaseStore();
    const { logger, records } = captureLogger();
    const aLog: string[] = [];
    let failStart: (err: Error) => void = () => undefined;
    const a = new LeaderElector({
      leaseName: 'l',
      identity: 'a',
      client: store.clientFor(),
      timing,
      clock,
      logger,
      random: () => 0,
      callbacks: {
        onStartedLeading: () => {
          aLog.push('started');
          return new Promise<void>((_resolve, reject) => (failStart = reject));
        },
        onStoppedLeading: (reason) => void aLog.push(`stopped:${reason}`),
      },
    });
    const b = candidate(store, clock, 'b');
    a.start();
    await flushAsync();
    b.elector.start();
    await flushAsync();
    expect(a.isLeader()).toBe(true);
    expect(b.elector.currentLeader()).toBe('a');

    failStart(new Error('informer cannot sync'));
    await flushAsync();
    expect(a.isLeader()).toBe(false);
    expect(aLog).toEqual(['started', 'stopped:lost']);
    expect(store.snapshot?.record).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    const stepDown = records.find((r) => r['level'] === 50 && String(r['msg']).includes('stepping down'));
    expect(stepDown?.['err']).toMatchObject({ message: 'informer cannot sync' });

    await clock.advance(2_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(store.holder()).toBe('b');
    await clock.advance(20_000);
    expect(a.isLeader()).toBe(false);
    expect(a.currentLeader()).toBe('b');
    await a.stop();
    await b.elector.stop();
  });

  it('after a failed start with no other candidate, campaigns again after the retry period', async () => {
    const clock = new FakeClock();
    const store = new FakeLeaseStore();
    const { logger } = captureLogger();
    const log: string[] = [];
    let starts = 0;
    const a = new LeaderElector({
      leaseName: 'l',
      identity: 'a',
      client: store.clientFor(),
      timing,
      clock,
      logger,
      callbacks: {
        onStartedLeading: () => {
          log.push('started');
          if (++starts === 1) throw new Error('first start fails');
        },
        onStoppedLeading: (reason) => void log.push(`stopped:${reason}`),
      },
    });
    a.start();
    await flushAsync();
    expect(a.isLeader()).toBe(false);
    expect(store.holder()).toBe('');
    await clock.advance(1_999);
    expect(a.isLeader()).toBe(false);
    await clock.advance(1);
    expect(a.isLeader()).toBe(true);
    expect(log).toEqual(['started', 'stopped:lost', 'started']);
    await a.stop();
    expect(log.at(-1)).toBe('stopped:shutdown');
  });

  it('restarts the election loop after a backoff when it crashes', async () => {
    const clock = new FakeClock();
    const store = new FakeLeaseStore();
    const { logger, records } = captureLogger();
    let crashes = 1;
    const a = new LeaderElector({
      leaseName: 'l',
      identity: 'a',
      client: store.clientFor(),
      timing,
      clock,
      logger,
      // The jitter source is consulted after a failed attempt; a throwing one crashes the loop.
      random: () => {
        if (crashes-- > 0) throw new Error('boom');
        return 0;
      },
      callbacks: { onStartedLeading: () => undefined, onStoppedLeading: () => undefined },
    });
    store.outage = new Error('api down');
    a.start();
    await flushAsync();
    const crash = records.find((r) => r['level'] === 50 && String(r['msg']).includes('crashed'));
    expect(crash).toMatchObject({ err: { message: 'boom' }, delayMs: 2_000 });
    store.outage = undefined;
    await clock.advance(1_999);
    expect(a.isLeader()).toBe(false);
    await clock.advance(1);
    expect(a.isLeader()).toBe(true);
    await a.stop();
    expect(store.holder()).toBe('');
  });

  it('two candidates racing never both lead', async () => {
    const clock = new FakeClock();
    const store = new FakeLeaseStore();
    const a = candidate(store, clock, 'a');
    const b = candidate(store, clock, 'b');
    a.elector.start();
    b.elector.start();
    for (let i = 0; i < 20; i++) {
      await clock.advance(1_000);
      expect(a.elector.isLeader() && b.elector.isLeader()).toBe(false);
    }
    expect([a.elector.isLeader(), b.elector.isLeader()].filter(Boolean)).toHaveLength(1);
    await a.elector.stop();
    await b.elector.stop();
  });
});

describe('LeaderGate', () => {
  class FakeRunnable implements Runnable {
    events: string[] = [];
    constructor(readonly name: string) {}
    async start(): Promise<void> {
      this.events.push('start');
    }
    async stop(options: { drain: boolean }): Promise<void> {
      this.events.push(`stop drain=${options.drain}`);
    }
  }

  it('starts components on election, stops them without drain on loss and with drain on shutdown', async () => {
    const clock = new FakeClock();
    const store = new FakeLeaseStore();
    const ctrl = new FakeRunnable('ippool');
    const { logger } = captureLogger();
    const gate = new LeaderGate([ctrl], logger);
    const elector = new LeaderElector({
      leaseName: 'l',
      identity: 'a',
      client: store.clientFor(),
      timing,
      clock,
      logger,
      callbacks: gate,
    });
    elector.start();
    await flushAsync();
    expect(gate.isLeading()).toBe(true);
    expect(ctrl.events).toEqual(['start']);
    store.outage = new Error('down');
    await clock.advance(12_000);
    expect(ctrl.events).toEqual(['start', 'stop drain=false']);
    store.outage = undefined;
    await clock.advance(2_000);
    expect(ctrl.events).toEqual(['start', 'stop drain=false', 'start']);
    await elector.stop();
    expect(ctrl.events.at(-1)).toBe('stop drain=true');
    expect(store.holder()).toBe('');
  });

  it('rethrows start failures after starting every other component; the elector then stops the started ones', async () => {
    class FailingRunnable extends FakeRunnable {
      override async start(): Promise<void> {
        this.events.push('start failed');
        throw new Error('cannot sync');
      }
    }
    const good = new FakeRunnable('ippool');
    const bad = new FailingRunnable('subnet');
    const { logger } = captureLogger();
    const gate = new LeaderGate([bad, good], logger);
    const failure = gate.onStartedLeading(new AbortController().signal);
    await expect(failure).rejects.toThrow(LeaderElectionError);
    await expect(failure).rejects.toMatchObject({ cause: { message: 'cannot sync' } });
    expect(good.events).toEqual(['start']);

    const clock = new FakeClock();
    const store = new FakeLeaseStore();
    const elector = new LeaderElector({
      leaseName: 'l',
      identity: 'a',
      client: store.clientFor(),
      timing,
      clock,
      logger,
      callbacks: gate,
    });
    elector.start();
    await flushAsync();
    expect(elector.isLeader()).toBe(false);
    expect(gate.isLeading()).toBe(false);
    expect(good.events).toEqual(['start', 'start', 'stop drain=false']);
    expect(store.holder()).toBe('');
    await elector.stop();
  });
});
