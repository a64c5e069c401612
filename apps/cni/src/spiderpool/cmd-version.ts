// CNI VERSION: the versions this plugin speaks (printed by the skel).
import { SPIDERPOOL_CNI_VERSIONS } from './netconf.schema.js';

export const SPIDERPOOL_ABOUT = 'Spiderpool IPAM';

export function cmdVersion(): { supportedVersions: readonly string[] } {
  return { supportedVersions: SPIDERPOOL_CNI_VERSIONS };
}
