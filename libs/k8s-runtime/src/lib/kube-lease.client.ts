import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { keepAliveKubeConfig } from './keep-alive-kube-config.js';
import type { LeaseClient, LeaseRecord, LeaseSnapshot } from './lease-client.port.js';
import { isNotFound } from './k8s-error-code.js';

function toSnapshot(lease: V1Lease): LeaseSnapshot {
  const spec = lease.spec ?? {};
  const record: LeaseRecord = {};
  if (spec.holderIdentity !== undefined) record.holderIdentity = spec.holderIdentity;
  if (spec.leaseDurationSeconds !== undefined) record.leaseDurationSeconds = spec.leaseDurationSeconds;
  if (spec.acquireTime) record.acquireTime = new Date(spec.acquireTime).getTime();
  if (spec.renewTime) record.renewTime = new Date(spec.renewTime).getTime();
  if (spec.leaseTransitions !== undefined) record.leaseTransitions = spec.leaseTransitions;
  return { record, resourceVersion: lease.metadata?.resourceVersion ?? '' };
}

function toSpec(record: LeaseRecord): NonNullable<V1Lease['spec']> {
  return {
    holderIdentity: record.holderIdentity ?? '',
    ...(record.leaseDurationSeconds !== undefined
      ? { leaseDurationSeconds: record.leaseDurationSeconds }
      : {}),
    // MicroTime: the API server wants six fractional digits; client-node's V1MicroTime serialises them.
    ...(record.acquireTime !== undefined ? { acquireTime: new V1MicroTime(record.acquireTime) } : {}),
    ...(record.renewTime !== undefined ? { renewTime: new V1MicroTime(record.renewTime) } : {}),
    ...(record.leaseTransitions !== undefined ? { leaseTransitions: record.leaseTransitions } : {}),
  };
}

/** `LeaseClient` for one `coordination.k8s.io/v1` Lease via client-node 2.x. */
export class KubeLeaseClient implements LeaseClient {
  private readonly api: CoordinationV1Api;

  constructor(
    kubeConfig: KubeConfig,
    private readonly namespace: string,
    private readonly name: string,
  ) {
    this.api = keepAliveKubeConfig(kubeConfig).makeApiClient(CoordinationV1Api);
  }

  async get(): Promise<LeaseSnapshot | undefined> {
    try {
      return toSnapshot(await this.api.readNamespacedLease({ name: this.name, namespace: this.namespace }));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async create(record: LeaseRecord): Promise<LeaseSnapshot> {
    const lease: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace },
      spec: toSpec(record),
    };
    return toSnapshot(await this.api.createNamespacedLease({ namespace: this.namespace, body: lease }));
  }

  async update(record: LeaseRecord, resourceVersion: string): Promise<LeaseSnapshot> {
    const lease: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.name, namespace: this.namespace, resourceVersion },
      spec: toSpec(record),
    };
    return toSnapshot(
      await this.api.replaceNamespacedLease({ name: this.name, namespace: this.namespace, body: lease }),
    );
  }
}
