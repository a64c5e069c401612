import { ensureFinalizer, isNil, isTerminating, type KubeObject } from '../admission/kind-webhook.js';
import { normalizeHijackCIDR, normalizeMode, normalizePolicyRoutes, type CoordinatorSpec } from './coordinator.rules.js';

const DEFAULTS: Required<Pick<CoordinatorSpec, 'mode' | 'tunePodRoutes' | 'hostRuleTable' | 'podRPFilter' | 'txQueueLen' | 'vethLinkAddress' | 'vethMTU'>> = {
  mode: 'auto',
  tunePodRoutes: true,
  hostRuleTable: 500,
  podRPFilter: 0,
  txQueueLen: 0,
  vethLinkAddress: '',
  vethMTU: 1500,
};

/** SpiderCoordinator mutating webhook (crds.md §7.3). */
export class CoordinatorMutator {
  mutate(obj: KubeObject): KubeObject {
    obj.spec ??= {};
    const spec = obj.spec as CoordinatorSpec;
    // COO-M1 (before the termination check, as upstream)
    for (const [k, v] of Object.entries(DEFAULTS)) {
      const key = k as keyof typeof DEFAULTS;
      if (isNil(spec[key])) (spec as Record<string, unknown>)[key] = v;
    }
    normalizeMode(spec);
    // COO-M2
    if (isTerminating(obj)) return obj;
    // COO-M3
    if (isNil(spec.podCIDRType)) return obj;
    // COO-M4, COO-M5
    if (!normalizeHijackCIDR(spec)) return obj;
    if (!normalizePolicyRoutes(spec)) return obj;
    // COO-M6
    ensureFinalizer(obj);
    return obj;
  }
}
