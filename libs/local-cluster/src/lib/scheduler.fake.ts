import type { Scheduler } from './pod-work-queue.js';

/** Collects scheduled callbacks; tests fire them explicitly (no wall clock). */
export class ManualScheduler implements Scheduler {
  readonly pending: { ms: number; fn: () => void; cancelled: boolean }[] = [];

  after(ms: number, fn: () => void): { cancel(): void } {
    const entry = { ms, fn, cancelled: false };
    this.pending.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }

  /** Delays of the callbacks still due, in scheduling order. */
  delays(): number[] {
    return this.pending.filter((p) => !p.cancelled).map((p) => p.ms);
  }

  /** Fires every due callback once. */
  fireAll(): void {
    const due = this.pending.splice(0).filter((p) => !p.cancelled);
    for (const p of due) p.fn();
  }
}
