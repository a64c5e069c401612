import { parse as parseYaml } from 'yaml';
import { InvalidTopologyError } from './errors.js';

/** A SpiderMultusConfig of a scenario: rendered by our controller into the NAD `namespace/name` on `zone`. */
export interface MultusConfigSpec {
  name: string;
  namespace: string;
  zone: string;
  /** The guide's own SMC (a file in SEED_FIXTURES_DIR), used as it is where the kernel has its CNI type. */
  seedFixture?: string;
}

/** The placeholder of seed 004's SMC for the host's parent interface. */
export const MACVLAN_MASTER_PLACEHOLDER = '${MACVLAN_MASTER_INTERFACE}';

/**
 * A `cniType: custom` SpiderMultusConfig whose `customCNI` is `config` (the zone network with our IPAM): the
 * controller copies it into the NAD's `spec.config`. The stand-in for a macvlan SMC on kernels without macvlan.
 */
export function customMultusConfig(args: {
  name: string;
  namespace: string;
  config: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderMultusConfig',
    metadata: { name: args.name, namespace: args.namespace },
    spec: { cniType: 'custom', customCNI: JSON.stringify({ ...args.config, name: args.name }) },
  };
}

/**
 * The seed's macvlan SMC with its `${MACVLAN_MASTER_INTERFACE}` set to `master` (what the guide asks the user to
 * export); everything else as written. Throws when the text is not a SpiderMultusConfig.
 */
export function seedMultusConfig(seedYaml: string, master: string): Record<string, unknown> {
  const doc = parseYaml(seedYaml.split(MACVLAN_MASTER_PLACEHOLDER).join(master)) as unknown;
  if (
    doc === null ||
    typeof doc !== 'object' ||
    (doc as { kind?: unknown }).kind !== 'SpiderMultusConfig'
  ) {
    throw new InvalidTopologyError('seed fixture is not a SpiderMultusConfig');
  }
  return doc as Record<string, unknown>;
}
