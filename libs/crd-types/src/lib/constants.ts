/** API group of every Spider custom resource. */
export const API_GROUP = 'spiderpool.spidernet.io';
/** The only served and stored version of the Spider kinds. */
export const API_VERSION = 'v2beta1';
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}` as const;

/** Multus NetworkAttachmentDefinition group/version. */
export const NAD_API_GROUP = 'k8s.cni.cncf.io';
export const NAD_API_VERSION = 'v1';
export const NAD_API_GROUP_VERSION = `${NAD_API_GROUP}/${NAD_API_VERSION}` as const;

/** Finalizer put on SpiderIPPool, SpiderSubnet, SpiderEndpoint and SpiderCoordinator. */
export const FINALIZER = 'spiderpool.spidernet.io';
export const SPIDERPOOL_FINALIZER = FINALIZER;

// ---- Pod annotations read by IPAM (spec/ipam.md §2.1) -------------------------------------------
export const ANNOTATION_IPPOOL = 'ipam.spidernet.io/ippool';
export const ANNOTATION_IPPOOLS = 'ipam.spidernet.io/ippools';
export const ANNOTATION_SUBNET = 'ipam.spidernet.io/subnet';
export const ANNOTATION_SUBNETS = 'ipam.spidernet.io/subnets';
export const ANNOTATION_IPPOOL_IP_NUMBER = 'ipam.spidernet.io/ippool-ip-number';
export const ANNOTATION_IPPOOL_RECLAIM = 'ipam.spidernet.io/ippool-reclaim';
export const ANNOTATION_ROUTES = 'ipam.spidernet.io/routes';
/** Defined upstream but never read by IPAM (no DNS is returned). */
export const ANNOTATION_DNS = 'ipam.spidernet.io/dns';
/** Read by the coordinator plugin, not by IPAM. */
export const ANNOTATION_DEFAULT_ROUTE_NIC = 'ipam.spidernet.io/default-route-nic';
export const ANNOTATION_MULTUS_DEFAULT_NETWORK = 'v1.multus-cni.io/default-network';
export const ANNOTATION_MULTUS_NETWORKS = 'k8s.v1.cni.cncf.io/networks';
export const ANNOTATION_KUBEVIRT_MIGRATION_JOB_NAME = 'kubevirt.io/migrationJobName';

// ---- Namespace annotations (spec/ipam.md §2.2) ---------------------------------------------------
export const ANNOTATION_DEFAULT_IPV4_IPPOOL = 'ipam.spidernet.io/default-ipv4-ippool';
export const ANNOTATION_DEFAULT_IPV6_IPPOOL = 'ipam.spidernet.io/default-ipv6-ippool';

// ---- Labels on pools and subnets (spec/crds.md §1.3, spec/ipam.md §2.3) --------------------------
export const LABEL_IPPOOL_CIDR = 'ipam.spidernet.io/ippool-cidr';
export const LABEL_SUBNET_CIDR = 'ipam.spidernet.io/subnet-cidr';
export const LABEL_OWNER_SPIDER_SUBNET = 'ipam.spidernet.io/owner-spider-subnet';
export const LABEL_OWNER_APPLICATION_GV = 'ipam.spidernet.io/owner-application-gv';
export const LABEL_OWNER_APPLICATION_KIND = 'ipam.spidernet.io/owner-application-kind';
export const LABEL_OWNER_APPLICATION_NAMESPACE = 'ipam.spidernet.io/owner-application-namespace';
/** Its presence marks a pool as auto-created. */
export const LABEL_OWNER_APPLICATION_NAME = 'ipam.spidernet.io/owner-application-name';
export const LABEL_OWNER_APPLICATION_UID = 'ipam.spidernet.io/owner-application-uid';
export const LABEL_INTERFACE = 'ipam.spidernet.io/interface';
export const LABEL_IP_VERSION = 'ipam.spidernet.io/ip-version';
export const LABEL_IPPOOL_RECLAIM = 'ipam.spidernet.io/ippool-reclaim';
/** Annotation (not label) on auto pools: requested IP number, `N` or `+N`. */
export const ANNOTATION_AUTO_POOL_IP_NUMBER = ANNOTATION_IPPOOL_IP_NUMBER;

// ---- podAffinity matchLabels keys of auto pools (spec/crds.md §1.3) ------------------------------
export const LABEL_APP_API_GROUP = 'ipam.spidernet.io/app-api-group';
export const LABEL_APP_API_VERSION = 'ipam.spidernet.io/app-api-version';
export const LABEL_APP_KIND = 'ipam.spidernet.io/app-kind';
export const LABEL_APP_NAMESPACE = 'ipam.spidernet.io/app-namespace';
export const LABEL_APP_NAME = 'ipam.spidernet.io/app-name';
export const AUTO_POOL_AFFINITY_LABELS = [
  LABEL_APP_API_GROUP,
  LABEL_APP_API_VERSION,
  LABEL_APP_KIND,
  LABEL_APP_NAMESPACE,
  LABEL_APP_NAME,
] as const;

// ---- SpiderMultusConfig annotations (spec/crds.md §6.1) ------------------------------------------
export const ANNOTATION_MULTUS_CR_NAME = 'multus.spidernet.io/cr-name';
export const ANNOTATION_MULTUS_CNI_VERSION = 'multus.spidernet.io/cni-version';
export const ANNOTATION_CNI_CONFIG_NAME = 'cni.spidernet.io/cniconfig-name';
export const ANNOTATION_RDMA_RESOURCE_INJECT = 'cni.spidernet.io/rdma-resource-inject';
export const ANNOTATION_NETWORK_RESOURCE_INJECT = 'cni.spidernet.io/network-resource-inject';
export const ANNOTATION_NAD_RESOURCE_NAME = 'k8s.v1.cni.cncf.io/resourceName';
export const SUPPORTED_CNI_VERSIONS = ['0.3.0', '0.3.1', '0.4.0', '1.0.0'] as const;
export const DEFAULT_CNI_VERSION = '0.3.1';

/** Name of the singleton SpiderCoordinator. */
export const DEFAULT_COORDINATOR_NAME = 'default';
/** Category shared by the six Spider kinds (`kubectl get spiderpool`). */
export const SPIDERPOOL_CATEGORY = 'spiderpool';
