import { invalid, type Denial } from '../admission/denial.js';
import type { KubeObject } from '../admission/kind-webhook.js';
import { checkCoordinatorSpec, type CoordinatorSpec } from './coordinator.rules.js';

/** SpiderCoordinator validating webhook (crds.md §7.4): same checks on CREATE and UPDATE, on a copy. */
export class CoordinatorValidator {
  async validateCreate(obj: KubeObject): Promise<Denial | null> {
    const spec = structuredClone((obj.spec ?? {}) as CoordinatorSpec);
    const e = checkCoordinatorSpec(spec, { requireTopLevel: true });
    return e ? invalid(e) : null;
  }

  async validateUpdate(_old: KubeObject, newObj: KubeObject): Promise<Denial | null> {
    return this.validateCreate(newObj);
  }
}
