import type { KubeObject } from '../admission/kind-webhook.js';
import { mutateMultusConfig } from './multusconfig.rules.js';

/** SpiderMultusConfig mutating webhook (crds.md §6.2). Runs on terminating objects too. */
export class MultusConfigMutator {
  mutate(obj: KubeObject): KubeObject {
    return mutateMultusConfig(obj);
  }
}
