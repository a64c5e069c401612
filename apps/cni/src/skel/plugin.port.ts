// What a CNI plugin gives the skel: identity, supported versions, a netconf parser and one handler
// per command. Handlers are functions of parsed arguments; their ports are built by `createPorts`.
import type { CniArgs } from './cni-args.js';
import type { CniError } from '../errors.js';
import type { CniResult } from './cni-result.js';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC' | 'VERSION';

/** Everything the skel parsed from env + stdin. */
export interface CmdArgs<Conf> {
  command: CniCommand;
  containerId: string;
  netns: string;
  ifName: string;
  cniPath: string;
  rawCniArgs: string;
  cniArgs: CniArgs;
  cniVersion: string;
  conf: Conf;
  /** The raw netconf object (for keys a plugin passes through). */
  rawConf: Record<string, unknown>;
  prevResult?: CniResult;
}

export interface CniPlugin<Conf, Ports> {
  /** Executable name (multi-call dispatch key). */
  readonly name: string;
  /** Printed on stderr when CNI_COMMAND is empty. */
  readonly about: string;
  readonly supportedVersions: readonly string[];
  /** Validate the netconf; throws InvalidNetconfError. */
  parseConf(raw: Record<string, unknown>): Conf;
  /** Build the ports for one invocation (logger, agent client); called after parseConf. */
  createPorts(args: CmdArgs<Conf>): Promise<Ports> | Ports;
  /** Flush/close what createPorts opened. */
  closePorts?(ports: Ports): Promise<void> | void;
  add(args: CmdArgs<Conf>, ports: Ports): Promise<CniResult>;
  del(args: CmdArgs<Conf>, ports: Ports): Promise<void>;
  check(args: CmdArgs<Conf>, ports: Ports): Promise<void>;
  /** CNI 1.1 STATUS; a plugin without it answers `unknown CNI_COMMAND`. */
  status?(args: CmdArgs<Conf>, ports: Ports): Promise<void>;
  /** CNI 1.1 GC. */
  gc?(args: CmdArgs<Conf>, ports: Ports): Promise<void>;
  /** The one mapper from any thrown value to the CNI wire error. */
  toCniError(err: unknown): CniError;
  /** Called with every error before it is printed (e.g. to log it). */
  onError?(err: unknown, cni: CniError, ports: Ports | undefined): void;
}
