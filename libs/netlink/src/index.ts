export * from './lib/errors.js';
export type { IpFamily } from './lib/ip-prefix.js';
export * from './lib/netlink.port.js';
export { inNetns, ExecFileRunner } from './lib/netns-exec.js';
export type { CommandResult, CommandRunner, ExecFileRunnerOptions } from './lib/netns-exec.js';
export { Iproute2Netlink } from './lib/iproute2.netlink.js';
export type { Iproute2NetlinkOptions } from './lib/iproute2.netlink.js';
export { FakeNetlink } from './lib/netlink.fake.js';
