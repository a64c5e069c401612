import { ApiException } from '@kubernetes/client-node';
import type { LeaseClient, LeaseRecord, LeaseSnapshot } from './lease-client.port.js';

const statusError = (code: number, reason: string): ApiException<string> =>
  new ApiException(code, reason, JSON.stringify({ kind: 'Status', code, reason }), {});

/** One in-memory Lease shared by several electors, with API-server-like resourceVersion checks. */
export class FakeLeaseStore {
  snapshot: LeaseSnapshot | undefined;
  private rv = 0;
  /** When set, every call fails with this error (API server unreachable). */
  outage: unknown;

  clientFor(): LeaseClient {
    return {
      get: async () => {
        this.check();
        return this.snapshot && structuredClone(this.snapshot);
      },
      create: async (record) => {
        this.check();
        if (this.snapshot) throw statusError(409, 'AlreadyExists');
        return this.store(record);
      },
      update: async (record, resourceVersion) => {
        this.check();
        if (!this.snapshot) throw statusError(404, 'NotFound');
        if (resourceVersion !== this.snapshot.resourceVersion) throw statusError(409, 'Conflict');
        return this.store(record);
      },
    };
  }

  holder(): string | undefined {
    return this.snapshot?.record.holderIdentity;
  }

  private check(): void {
    if (this.outage !== undefined) throw this.outage;
  }

  private store(record: LeaseRecord): LeaseSnapshot {
    this.snapshot = { record: { ...record }, resourceVersion: String(++this.rv) };
    return structuredClone(this.snapshot);
  }
}
