/**
 * Narrow structural views of the CRD objects ipam-core reads, derived from `@spiderpool/crd-types` (house style §6):
 * each view picks fields of the crd-types shape, makes them deeply read-only and lets optional fields be `null`
 * (the API server may send it), so a parsed CRD object can be passed in as-is. The only narrowing is a required
 * `metadata.name` (a stored object always has one).
 */
import type {
  LabelSelector as CrdLabelSelector,
  ObjectMeta,
  Route as CrdRoute,
  SpiderIPPoolSpec,
  SpiderIPPoolStatus,
  SpiderReservedIPSpec,
  SpiderSubnetSpec,
} from '@spiderpool/crd-types';
import { AUTO_POOL_AFFINITY_LABELS } from '@spiderpool/crd-types';

/** Deeply read-only; optional object fields also accept `null`. */
export type ReadonlyView<T> = T extends readonly (infer E)[]
  ? readonly ReadonlyView<E>[]
  : T extends object
    ? { readonly [K in keyof T]: ReadonlyView<T[K]> | (undefined extends T[K] ? null : never) }
    : T;

/** `ReadonlyView` of the picked fields; all of them optional except `Req`. */
type ViewOf<T, Keys extends keyof T, Req extends Keys = never> = ReadonlyView<Pick<T, Req>> & {
  readonly [K in Exclude<Keys, Req>]?: ReadonlyView<T[K]> | null;
};

export type LabelSelectorRequirement = ReadonlyView<NonNullable<CrdLabelSelector['matchExpressions']>[number]>;

export type LabelSelector = ReadonlyView<CrdLabelSelector>;

export type Route = ReadonlyView<CrdRoute>;

export type ObjectMetaView = ViewOf<ObjectMeta, 'labels' | 'deletionTimestamp'> & { readonly name: string };

export type SpiderIPPoolSpecView = ViewOf<
  SpiderIPPoolSpec,
  | 'ipVersion'
  | 'subnet'
  | 'ips'
  | 'excludeIPs'
  | 'gateway'
  | 'routes'
  | 'podAffinity'
  | 'namespaceAffinity'
  | 'namespaceName'
  | 'nodeAffinity'
  | 'nodeName'
  | 'multusName'
  | 'default'
  | 'disable',
  'subnet'
>;

export interface SpiderIPPoolView {
  readonly metadata: ObjectMetaView;
  readonly spec: SpiderIPPoolSpecView;
  readonly status?: ViewOf<SpiderIPPoolStatus, 'allocatedIPs'> | null;
}

export type SpiderSubnetSpecView = ViewOf<
  SpiderSubnetSpec,
  'ipVersion' | 'subnet' | 'ips' | 'excludeIPs' | 'gateway' | 'routes',
  'subnet'
>;

export type SpiderReservedIPSpecView = ViewOf<SpiderReservedIPSpec, 'ipVersion' | 'ips'>;

export interface SpiderReservedIPView {
  readonly metadata: ObjectMetaView;
  readonly spec: SpiderReservedIPSpecView;
}

/** Annotation and label keys read by the pure IPAM logic (ipam.md §2); declared in crd-types, kept under these names. */
export {
  ANNOTATION_IPPOOL,
  ANNOTATION_IPPOOLS,
  ANNOTATION_SUBNET,
  ANNOTATION_SUBNETS,
  ANNOTATION_IPPOOL_IP_NUMBER,
  ANNOTATION_IPPOOL_RECLAIM,
  ANNOTATION_DEFAULT_IPV4_IPPOOL as ANNOTATION_NS_DEFAULT_IPV4_IPPOOL,
  ANNOTATION_DEFAULT_IPV6_IPPOOL as ANNOTATION_NS_DEFAULT_IPV6_IPPOOL,
  ANNOTATION_MULTUS_DEFAULT_NETWORK,
  ANNOTATION_MULTUS_NETWORKS,
  LABEL_OWNER_APPLICATION_NAME,
  LABEL_APP_API_GROUP,
  LABEL_APP_API_VERSION,
  LABEL_APP_KIND,
  LABEL_APP_NAMESPACE,
  LABEL_APP_NAME,
} from '@spiderpool/crd-types';

export const AUTO_POOL_AFFINITY_KEYS: readonly string[] = AUTO_POOL_AFFINITY_LABELS;
