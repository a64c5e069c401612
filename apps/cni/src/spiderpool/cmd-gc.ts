// CNI GC (1.1.0): accepted and logged. IP garbage collection is the controller's job (it compares
// pool records with live pods), so the plugin has nothing of its own to sweep.
import type { CmdArgs } from '../skel/plugin.port.js';
import type { SpiderpoolConf } from './netconf.schema.js';
import type { SpiderpoolPorts } from './ports.js';

export async function cmdGc(args: CmdArgs<SpiderpoolConf>, ports: SpiderpoolPorts): Promise<void> {
  const valid = args.rawConf['cni.dev/valid-attachments'];
  ports.logger.info(
    { validAttachments: Array.isArray(valid) ? valid.length : 0 },
    'GC: left to the controller',
  );
}
