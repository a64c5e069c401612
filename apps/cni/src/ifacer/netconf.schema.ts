// The ifacer netconf (spec §4.1): interfaces, an optional VLAN id and an optional bond.
import * as z from 'zod/mini';
import { InvalidNetconfError } from '../errors.js';
import { PLUGIN_CNI_VERSIONS, parseNetconfInput } from '../skel/netconf-input.js';

export const IFACER_CNI_VERSIONS = PLUGIN_CNI_VERSIONS;
export const DEFAULT_BOND_NAME = 'sp_bond0';

const IfacerNetconfInput = z.object({
  name: z.string(),
  cniVersion: z.string(),
  interfaces: z.optional(z.nullable(z.array(z.string().check(z.minLength(1))))),
  vlanID: z.optional(z.nullable(z.int())),
  bond: z.optional(
    z.nullable(
      z.object({
        name: z.optional(z.string()),
        mode: z.optional(z.int()),
        options: z.optional(z.string()),
      }),
    ),
  ),
});

export interface BondConf {
  name: string;
  mode: number;
  options: string;
}

export interface IfacerNetconf {
  name: string;
  cniVersion: string;
  interfaces: string[];
  vlanId: number;
  bond: BondConf | undefined;
}

function invalid(path: string, message: string): never {
  throw new InvalidNetconfError(`invalid config: ${message}`, [{ path, message }]);
}

export function parseIfacerNetconf(raw: Record<string, unknown>): IfacerNetconf {
  const data = parseNetconfInput(IfacerNetconfInput, raw);
  const c = data;
  const interfaces = c.interfaces ?? [];
  if (interfaces.length === 0) invalid('interfaces', 'interfaces have at least one interface');
  const vlanId = c.vlanID ?? 0;
  if (vlanId < 0 || vlanId > 4094)
    invalid('vlanID', `invalid vlan tag ${vlanId}: vlan tag must be in range [0,4094]`);
  let bond: BondConf | undefined;
  if (c.bond) {
    const mode = c.bond.mode ?? 0;
    if (mode < 0 || mode > 6) invalid('bond.mode', `unknown bond mode: ${mode}, available mode: [0,6]`);
    bond = { name: c.bond.name || DEFAULT_BOND_NAME, mode, options: c.bond.options ?? '' };
  }
  return { name: c.name, cniVersion: c.cniVersion, interfaces, vlanId, bond };
}
