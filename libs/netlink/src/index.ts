export * from './lib/errors.js';
export type { IpFamily } from './lib/ip-prefix.js';
export * from './lib/netlink.port.js';
export { inNetns, ExecFileRunner } from './lib/netns-exec.js';
export type { CommandResult, CommandRunner, ExecFileRunnerOptions, RunOptions } from './lib/netns-exec.js';
export { Iproute2Netlink } from './lib/iproute2.netlink.js';
export type { Iproute2NetlinkOptions } from './lib/iproute2.netlink.js';
export { FakeNetlink } from './lib/netlink.fake.js';
export * from './lib/neighbour-probe.port.js';
export { ArpingNdiscNeighbourProbe, DEFAULT_PROBE_TIMINGS } from './lib/arping-ndisc.neighbour-probe.js';
export type {
  ArpingNdiscNeighbourProbeOptions,
  NeighbourProbeTimings,
} from './lib/arping-ndisc.neighbour-probe.js';
export { FakeNeighbourProbe } from './lib/neighbour-probe.fake.js';
export type { NeighbourProbeCall } from './lib/neighbour-probe.fake.js';
