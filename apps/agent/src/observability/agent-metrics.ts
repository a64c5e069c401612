import { IPExhaustedError, NoAvailablePoolError, ResourceVersionConflictError } from '@spiderpool/ipam-core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BatcherObserver, PoolOpKind } from '../ippool/pool-write.batcher.js';

/** Histogram buckets of every `spiderpool_*` histogram (controller-and-chart.md §4.1), seconds. */
const BUCKETS = [0.1, 0.3, 0.5, 1, 3, 5, 7, 10, 15];

type Op = 'allocation' | 'release';

class DurationStats {
  private count = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = 0;

  constructor(
    private readonly avg: Gauge,
    private readonly maxG: Gauge,
    private readonly minG: Gauge,
    private readonly latest: Gauge,
    private readonly histogram: Histogram,
  ) {}

  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    this.min = Math.min(this.min, seconds);
    this.max = Math.max(this.max, seconds);
    this.avg.set(this.sum / this.count);
    this.maxG.set(this.max);
    this.minG.set(this.min);
    this.latest.set(seconds);
    this.histogram.observe(seconds);
  }
}

/**
 * The agent metrics of controller-and-chart.md §4.3 with their documented snake_case names (counters carry the
 * `_total` suffix the OTel exporter adds upstream). One Registry per agent instance (injected, nothing global),
 * so several in-process agents do not collide.
 */
export class AgentMetrics implements BatcherObserver {
  readonly registry = new Registry();
  private readonly counters: Record<string, Counter>;
  private readonly durations: Record<Op, DurationStats>;
  private readonly limits: Record<Op, DurationStats>;
  private readonly batchSizes: Histogram;

  constructor() {
    const counter = (name: string, help: string): Counter =>
      new Counter({ name: `spiderpool_${name}_total`, help, registers: [this.registry] });
    const gauge = (name: string, help: string): Gauge =>
      new Gauge({ name: `spiderpool_${name}`, help, registers: [this.registry] });
    const histogram = (name: string, help: string): Histogram =>
      new Histogram({ name: `spiderpool_${name}`, help, buckets: BUCKETS, registers: [this.registry] });
    this.counters = {
      allocation: counter('ipam_allocation_counts', 'IPAM ADD requests'),
      allocationFailure: counter('ipam_allocation_failure_counts', 'failed IPAM ADD requests'),
      allocationConflict: counter(
        'ipam_allocation_update_ippool_conflict_counts',
        'IPPool status update conflicts during allocation',
      ),
      allocationInternal: counter('ipam_allocation_err_internal_counts', 'failed ADDs of no other class'),
      allocationNoPool: counter(
        'ipam_allocation_err_no_available_pool_counts',
        'failed ADDs: no IPPool available',
      ),
      allocationRetries: counter(
        'ipam_allocation_err_retries_exhausted_counts',
        'failed ADDs: retries exhausted',
      ),
      allocationUsedOut: counter(
        'ipam_allocation_err_ip_used_out_counts',
        'failed ADDs: all IP addresses used out',
      ),
      release: counter('ipam_release_counts', 'IPAM DEL requests'),
      releaseFailure: counter('ipam_release_failure_counts', 'failed IPAM DEL requests'),
      releaseConflict: counter(
        'ipam_release_update_ippool_conflict_counts',
        'IPPool status update conflicts during release',
      ),
      releaseInternal: counter('ipam_release_err_internal_counts', 'failed DELs of no other class'),
      releaseRetries: counter('ipam_release_err_retries_exhausted_counts', 'failed DELs: retries exhausted'),
      autoPoolWaited: counter(
        'debug_auto_pool_waited_for_available_counts',
        'waits for an auto-created IPPool',
      ),
    };
    const stats = (prefix: string, what: string): DurationStats =>
      new DurationStats(
        gauge(`${prefix}_average_${what}duration_seconds`, `mean ${what}duration`),
        gauge(`${prefix}_max_${what}duration_seconds`, `max ${what}duration`),
        gauge(`${prefix}_min_${what}duration_seconds`, `min ${what}duration`),
        gauge(`${prefix}_latest_${what}duration_seconds`, `latest ${what}duration`),
        histogram(`${prefix}_${what}duration_seconds`, `${what}duration`),
      );
    this.durations = { allocation: stats('ipam_allocation', ''), release: stats('ipam_release', '') };
    this.limits = {
      allocation: stats('ipam_allocation', 'limit_'),
      release: stats('ipam_release', 'limit_'),
    };
    this.batchSizes = new Histogram({
      name: 'spiderpool_ipam_ippool_write_batch_size',
      help: 'requests coalesced into one IPPool status write (agent extension)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers: [this.registry],
    });
  }

  allocationDone(seconds: number, error?: unknown): void {
    this.counters['allocation']?.inc();
    this.durations.allocation.observe(seconds);
    if (error === undefined) return;
    this.counters['allocationFailure']?.inc();
    if (error instanceof NoAvailablePoolError) this.counters['allocationNoPool']?.inc();
    else if (error instanceof IPExhaustedError) this.counters['allocationUsedOut']?.inc();
    else if (error instanceof ResourceVersionConflictError) this.counters['allocationRetries']?.inc();
    else this.counters['allocationInternal']?.inc();
  }

  releaseDone(seconds: number, error?: unknown): void {
    this.counters['release']?.inc();
    this.durations.release.observe(seconds);
    if (error === undefined) return;
    this.counters['releaseFailure']?.inc();
    if (error instanceof ResourceVersionConflictError) this.counters['releaseRetries']?.inc();
    else this.counters['releaseInternal']?.inc();
  }

  // BatcherObserver
  conflict(kind: PoolOpKind): void {
    this.counters[kind === 'allocate' ? 'allocationConflict' : 'releaseConflict']?.inc();
  }

  waited(kind: PoolOpKind, seconds: number): void {
    this.limits[kind === 'allocate' ? 'allocation' : 'release'].observe(seconds);
  }

  batchSize(size: number): void {
    this.batchSizes.observe(size);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

export const AGENT_METRICS = Symbol('AGENT_METRICS');
