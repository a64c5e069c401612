import { defaultMultusConfig } from '@spiderpool/multus-config';
import type { KubeObject } from '../admission/kind-webhook.js';

/** SpiderMultusConfig mutating webhook (crds.md §6.2, SMC-M1..M5). Runs on terminating objects too. */
export class MultusConfigMutator {
  mutate(obj: KubeObject): KubeObject {
    return defaultMultusConfig(obj);
  }
}
