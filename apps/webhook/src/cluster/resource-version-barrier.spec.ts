import { FakeClock } from '@spiderpool/k8s-runtime';
import { compareResourceVersions, ResourceVersionBarrier } from './resource-version-barrier.js';

function setup(start = '100') {
  const clock = new FakeClock();
  const view = { rv: start };
  const barrier = new ResourceVersionBarrier({ current: () => view.rv, clock, pollMs: 5 });
  return { clock, view, barrier };
}

/** Tracks a promise's settlement without awaiting it. */
function track<T>(p: Promise<T>): { value?: T; settled: boolean } {
  const s: { value?: T; settled: boolean } = { settled: false };
  void p.then((v) => {
    s.value = v;
    s.settled = true;
  });
  return s;
}

describe('compareResourceVersions', () => {
  it('orders decimal revisions numerically, beyond 2^53', () => {
    expect(compareResourceVersions('9', '10')).toBe(-1);
    expect(compareResourceVersions('10', '10')).toBe(0);
    expect(compareResourceVersions('90071992547409930', '90071992547409921')).toBe(1);
  });

  it('cannot compare non-decimal versions', () => {
    expect(compareResourceVersions('', '10')).toBeUndefined();
    expect(compareResourceVersions('10', 'abc')).toBeUndefined();
  });
});

describe('ResourceVersionBarrier', () => {
  it('resolves at once when the view is already at or past the target', async () => {
    const { barrier } = setup('100');
    await expect(barrier.waitFor('100', 50)).resolves.toBe(true);
    await expect(barrier.waitFor('99', 50)).resolves.toBe(true);
    expect(barrier.pending()).toBe(0);
  });

  it('resolves true on the notify after the view reaches the target, not before', async () => {
    const { barrier, view } = setup('100');
    const w = track(barrier.waitFor('105', 1000));
    view.rv = '103';
    barrier.notify();
    await Promise.resolve();
    expect(w.settled).toBe(false);
    view.rv = '105';
    barrier.notify();
    await Promise.resolve();
    expect(w).toEqual({ settled: true, value: true });
    expect(barrier.pending()).toBe(0);
  });

  it('the poll picks up progress that came without a notify (a bookmark)', async () => {
    const { barrier, view, clock } = setup('100');
    const w = track(barrier.waitFor('120', 1000));
    view.rv = '130';
    await clock.advance(4);
    expect(w.settled).toBe(false);
    await clock.advance(1);
    expect(w).toEqual({ settled: true, value: true });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('resolves false at the deadline when the view stays behind, and leaves no timers', async () => {
    const { barrier, clock } = setup('100');
    const w = track(barrier.waitFor('101', 50));
    await clock.advance(49);
    expect(w.settled).toBe(false);
    await clock.advance(1);
    expect(w).toEqual({ settled: true, value: false });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('resolves false at once when the versions cannot be compared', async () => {
    const { barrier } = setup('');
    await expect(barrier.waitFor('10', 50)).resolves.toBe(false);
  });

  it('cancelAll releases every waiter with false', async () => {
    const { barrier, clock } = setup('1');
    const a = track(barrier.waitFor('5', 1000));
    const b = track(barrier.waitFor('6', 1000));
    barrier.cancelAll();
    await Promise.resolve();
    expect([a.value, b.value]).toEqual([false, false]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
