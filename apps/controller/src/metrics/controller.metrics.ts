import { Counter, Gauge, Registry } from 'prom-client';

/**
 * The documented controller metrics (controller-and-chart.md §4.2), snake_case. prom-client appends nothing, so
 * counters are declared with their exported `_total` names. Per-pool/per-subnet "counts" are gauges holding the
 * current value (one series per object, removed when the object goes), not ever-growing counters. Debug-level
 * instruments live on a registry that is only exposed when `SPIDERPOOL_ENABLED_DEBUG_METRIC` is on.
 */
export class ControllerMetrics {
  readonly ipGcCounts: Counter;
  readonly ipGcFailureCounts: Counter;
  readonly releaseConflictCounts: Counter;
  readonly totalIPPoolCounts: Gauge;
  readonly totalSubnetCounts: Gauge;
  readonly poolTotalIPs: Gauge<'SpiderIPPool'>;
  readonly poolAvailableIPs: Gauge<'SpiderIPPool'>;
  readonly subnetPoolCounts: Gauge<'SpiderSubnet'>;
  readonly subnetTotalIPs: Gauge<'SpiderSubnet'>;
  readonly subnetAvailableIPs: Gauge<'SpiderSubnet'>;

  constructor(
    readonly registry: Registry = new Registry(),
    readonly debugRegistry: Registry = new Registry(),
  ) {
    const main = [registry];
    const debug = [debugRegistry];
    this.ipGcCounts = new Counter({ name: 'spiderpool_ip_gc_counts_total', help: 'IP releases attempted by the IP GC, per (pod, pool).', registers: main });
    this.ipGcFailureCounts = new Counter({ name: 'spiderpool_ip_gc_failure_counts_total', help: 'Failed IP GC releases.', registers: main });
    this.releaseConflictCounts = new Counter({
      name: 'spiderpool_ipam_release_update_ippool_conflict_counts_total',
      help: 'SpiderIPPool update conflicts while the controller released IPs.',
      registers: main,
    });
    this.totalIPPoolCounts = new Gauge({ name: 'spiderpool_total_ippool_counts', help: 'Number of SpiderIPPools.', registers: main });
    this.totalSubnetCounts = new Gauge({ name: 'spiderpool_total_subnet_counts', help: 'Number of SpiderSubnets.', registers: main });
    this.poolTotalIPs = new Gauge({ name: 'spiderpool_debug_ippool_total_ip_counts', help: 'totalIPCount of a pool.', labelNames: ['SpiderIPPool'], registers: debug });
    this.poolAvailableIPs = new Gauge({
      name: 'spiderpool_debug_ippool_available_ip_counts',
      help: 'totalIPCount − allocatedIPCount of a pool.',
      labelNames: ['SpiderIPPool'],
      registers: debug,
    });
    this.subnetPoolCounts = new Gauge({ name: 'spiderpool_debug_subnet_ippool_counts', help: 'Pools controlled by a subnet.', labelNames: ['SpiderSubnet'], registers: debug });
    this.subnetTotalIPs = new Gauge({ name: 'spiderpool_debug_subnet_total_ip_counts', help: 'totalIPCount of a subnet.', labelNames: ['SpiderSubnet'], registers: debug });
    this.subnetAvailableIPs = new Gauge({
      name: 'spiderpool_debug_subnet_available_ip_counts',
      help: 'totalIPCount − allocatedIPCount of a subnet.',
      labelNames: ['SpiderSubnet'],
      registers: debug,
    });
  }

  /** Drop the per-object series of a deleted pool (bounded cardinality). */
  forgetPool(name: string): void {
    this.poolTotalIPs.remove({ SpiderIPPool: name });
    this.poolAvailableIPs.remove({ SpiderIPPool: name });
  }

  forgetSubnet(name: string): void {
    this.subnetPoolCounts.remove({ SpiderSubnet: name });
    this.subnetTotalIPs.remove({ SpiderSubnet: name });
    this.subnetAvailableIPs.remove({ SpiderSubnet: name });
  }
}
