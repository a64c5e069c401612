// CNI CHECK: the skel has already validated the version (≥ 0.4.0) and decoded prevResult.
// Like upstream, the IPAM plugin has nothing further to verify.
import type { CmdArgs } from '../skel/plugin.port.js';
import type { SpiderpoolConf } from './netconf.schema.js';
import type { SpiderpoolPorts } from './ports.js';

export async function cmdCheck(args: CmdArgs<SpiderpoolConf>, ports: SpiderpoolPorts): Promise<void> {
  ports.logger.debug({ prevResultIps: args.prevResult?.ips.length ?? 0 }, 'CHECK');
}
