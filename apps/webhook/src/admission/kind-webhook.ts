import type { Logger } from 'pino';
import type { Denial } from './denial.js';

/** A Kubernetes object as received in a review: only metadata is assumed. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
    ownerReferences?: OwnerReference[];
    [k: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface AdmissionContext {
  readonly log: Logger;
}

/** Everything one CRD kind contributes to admission. Mutators edit a copy and return it; they never deny. */
export interface KindWebhook {
  /** Upstream kind name, e.g. `SpiderIPPool`. */
  readonly kind: string;
  /** Plural resource, e.g. `spiderippools` (used in 403/409 messages). */
  readonly resource: string;
  mutate?(obj: KubeObject, ctx: AdmissionContext): Promise<KubeObject>;
  validateCreate?(obj: KubeObject, ctx: AdmissionContext): Promise<Denial | null>;
  validateUpdate?(oldObj: KubeObject, newObj: KubeObject, ctx: AdmissionContext): Promise<Denial | null>;
  validateDelete?(oldObj: KubeObject, ctx: AdmissionContext): Promise<Denial | null>;
}

export const SPIDERPOOL_GROUP = 'spiderpool.spidernet.io';
export const SPIDERPOOL_VERSION = 'v2beta1';
export const SPIDERPOOL_FINALIZER = 'spiderpool.spidernet.io';

export const isTerminating = (obj: KubeObject): boolean =>
  obj.metadata?.deletionTimestamp !== undefined && obj.metadata.deletionTimestamp !== null;

export const hasFinalizer = (obj: KubeObject, f = SPIDERPOOL_FINALIZER): boolean =>
  (obj.metadata?.finalizers ?? []).includes(f);

/** Add a finalizer in place (mutators work on their own copy). */
export function ensureFinalizer(obj: KubeObject, f = SPIDERPOOL_FINALIZER): void {
  obj.metadata ??= {};
  const list = obj.metadata.finalizers ?? [];
  if (!list.includes(f)) obj.metadata.finalizers = [...list, f];
}

export function setLabel(obj: KubeObject, key: string, value: string): void {
  obj.metadata ??= {};
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [key]: value };
}

export const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;
