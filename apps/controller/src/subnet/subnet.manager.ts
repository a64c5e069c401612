import { DEFAULT_RETRY, retryOnConflict, type RetryPolicy } from '@spiderpool/k8s-runtime';
import type { ObjectClient } from '../api-client/object-client.port.js';
import { KINDS } from '../api-client/resource-kinds.js';
import type { SubnetObject } from '../ippool/ippool.types.js';

/**
 * Typed writes of SpiderSubnets. Every write goes through `retryOnConflict`: a live read, the caller's pure
 * decision re-run on it, and a write with the observed resourceVersion (house style §16).
 */
export class SubnetManager {
  constructor(
    private readonly client: ObjectClient,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {}

  get(name: string): Promise<SubnetObject | undefined> {
    return this.client.get<SubnetObject>(KINDS.subnet, { name });
  }

  /** Replace metadata/spec when `decide` returns a changed object built from the live one. */
  update(name: string, decide: (subnet: SubnetObject) => SubnetObject | undefined): Promise<SubnetObject | undefined> {
    return retryOnConflict(
      () => this.get(name),
      (subnet) => (subnet === undefined ? undefined : decide(subnet)),
      (next) => this.client.replace(KINDS.subnet, next),
      this.policy,
    );
  }

  /** Replace the status when `decide` returns a new one for the live object. */
  updateStatus(name: string, decide: (subnet: SubnetObject) => SubnetObject['status'] | undefined): Promise<SubnetObject | undefined> {
    return retryOnConflict(
      () => this.get(name),
      (subnet) => {
        if (subnet === undefined) return undefined;
        const status = decide(subnet);
        return status === undefined ? undefined : { ...subnet, status };
      },
      (next) => this.client.replaceStatus(KINDS.subnet, next),
      this.policy,
    );
  }

  /** Re-issue the delete with foreground propagation (owned pools go first), guarded by the UID. */
  deleteForeground(name: string, uid: string | undefined): Promise<void> {
    return this.client.delete(KINDS.subnet, { name }, { propagation: 'Foreground', ...(uid ? { uid } : {}) });
  }
}
