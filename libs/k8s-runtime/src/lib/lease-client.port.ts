/** The fields of a `coordination.k8s.io/v1` Lease spec the elector uses; times in epoch milliseconds. */
export interface LeaseRecord {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: number;
  renewTime?: number;
  leaseTransitions?: number;
}

export interface LeaseSnapshot {
  record: LeaseRecord;
  resourceVersion: string;
}

/**
 * Lease I/O as a port. `update` must send `resourceVersion` so the API server rejects stale writes with a
 * Conflict; `create` fails with AlreadyExists when another candidate won the race.
 */
export interface LeaseClient {
  /** `undefined` when the Lease does not exist. */
  get(): Promise<LeaseSnapshot | undefined>;
  create(record: LeaseRecord): Promise<LeaseSnapshot>;
  update(record: LeaseRecord, resourceVersion: string): Promise<LeaseSnapshot>;
}
