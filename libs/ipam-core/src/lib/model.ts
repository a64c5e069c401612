/**
 * Narrow structural views of the CRD objects ipam-core reads. They only narrow the shapes of `@spiderpool/crd-types`
 * (house style §6): every field here exists there with the same name and a compatible type, so a parsed CRD object
 * can be passed in as-is. Optional fields accept `null` because the API server may send it.
 */

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[] | null;
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>> | null;
  readonly matchExpressions?: readonly LabelSelectorRequirement[] | null;
}

export interface Route {
  readonly dst: string;
  readonly gw: string;
}

export interface ObjectMetaView {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>> | null;
  readonly deletionTimestamp?: string | null;
}

export interface SpiderIPPoolSpecView {
  readonly ipVersion?: number | null;
  readonly subnet: string;
  readonly ips?: readonly string[] | null;
  readonly excludeIPs?: readonly string[] | null;
  readonly gateway?: string | null;
  readonly routes?: readonly Route[] | null;
  readonly podAffinity?: LabelSelector | null;
  readonly namespaceAffinity?: LabelSelector | null;
  readonly namespaceName?: readonly string[] | null;
  readonly nodeAffinity?: LabelSelector | null;
  readonly nodeName?: readonly string[] | null;
  readonly multusName?: readonly string[] | null;
  readonly default?: boolean | null;
  readonly disable?: boolean | null;
}

export interface SpiderIPPoolView {
  readonly metadata: ObjectMetaView;
  readonly spec: SpiderIPPoolSpecView;
  readonly status?: { readonly allocatedIPs?: string | null } | null;
}

export interface SpiderSubnetSpecView {
  readonly ipVersion?: number | null;
  readonly subnet: string;
  readonly ips?: readonly string[] | null;
  readonly excludeIPs?: readonly string[] | null;
  readonly gateway?: string | null;
  readonly routes?: readonly Route[] | null;
}

export interface SpiderReservedIPSpecView {
  readonly ipVersion?: number | null;
  readonly ips?: readonly string[] | null;
}

export interface SpiderReservedIPView {
  readonly metadata: ObjectMetaView;
  readonly spec: SpiderReservedIPSpecView;
}

/** Annotation and label keys read by the pure IPAM logic (ipam.md §2). */
export const ANNOTATION_IPPOOL = 'ipam.spidernet.io/ippool';
export const ANNOTATION_IPPOOLS = 'ipam.spidernet.io/ippools';
export const ANNOTATION_SUBNET = 'ipam.spidernet.io/subnet';
export const ANNOTATION_SUBNETS = 'ipam.spidernet.io/subnets';
export const ANNOTATION_IPPOOL_IP_NUMBER = 'ipam.spidernet.io/ippool-ip-number';
export const ANNOTATION_IPPOOL_RECLAIM = 'ipam.spidernet.io/ippool-reclaim';
export const ANNOTATION_NS_DEFAULT_IPV4_IPPOOL = 'ipam.spidernet.io/default-ipv4-ippool';
export const ANNOTATION_NS_DEFAULT_IPV6_IPPOOL = 'ipam.spidernet.io/default-ipv6-ippool';
export const ANNOTATION_MULTUS_DEFAULT_NETWORK = 'v1.multus-cni.io/default-network';
export const ANNOTATION_MULTUS_NETWORKS = 'k8s.v1.cni.cncf.io/networks';
export const LABEL_OWNER_APPLICATION_NAME = 'ipam.spidernet.io/owner-application-name';
export const LABEL_APP_API_GROUP = 'ipam.spidernet.io/app-api-group';
export const LABEL_APP_API_VERSION = 'ipam.spidernet.io/app-api-version';
export const LABEL_APP_KIND = 'ipam.spidernet.io/app-kind';
export const LABEL_APP_NAMESPACE = 'ipam.spidernet.io/app-namespace';
export const LABEL_APP_NAME = 'ipam.spidernet.io/app-name';

export const AUTO_POOL_AFFINITY_KEYS: readonly string[] = [
  LABEL_APP_API_GROUP,
  LABEL_APP_API_VERSION,
  LABEL_APP_KIND,
  LABEL_APP_NAMESPACE,
  LABEL_APP_NAME,
];
