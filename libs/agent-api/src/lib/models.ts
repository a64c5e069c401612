// Wire models of the agent's local API (unix socket, base path /v1). zod is the source of truth;
// `openapi.yaml` is generated from these schemas (nx run agent-api:generate). zod/mini keeps the
// CNI binary's cold start small (see docs/adr/0002-cni-binary.md).
import * as z from 'zod/mini';

/** `aa:bb:cc:dd:ee:ff`, either case. */
export const MAC_PATTERN = /^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/;

const mac = z.string().check(z.regex(MAC_PATTERN, 'must be a MAC address aa:bb:cc:dd:ee:ff'));

/** POST /v1/ipam/ip — one CNI ADD for one interface of one pod. Required strings may be empty. */
export const IpamAddArgs = z.object({
  containerID: z.string(),
  ifName: z.string(),
  netNamespace: z.string(),
  podNamespace: z.string(),
  podName: z.string(),
  podUID: z.string(),
  defaultIPv4IPPool: z.optional(z.nullable(z.array(z.string()))),
  defaultIPv6IPPool: z.optional(z.nullable(z.array(z.string()))),
  cleanGateway: z.optional(z.boolean()),
  matchMasterSubnet: z.optional(z.boolean()),
});
export type IpamAddArgs = z.infer<typeof IpamAddArgs>;

export const IpConfig = z.object({
  version: z.union([z.literal(4), z.literal(6)]),
  /** `IP/prefix`, the prefix being the pool subnet's. */
  address: z.string().check(z.minLength(1)),
  /** Interface the IP belongs to; the response lists every NIC of the pod. */
  nic: z.string().check(z.minLength(1)),
  ipPool: z.optional(z.string()),
  gateway: z.optional(z.string()),
  vlan: z.optional(z.int()),
  mac: z.optional(mac),
  enableGatewayDetection: z.optional(z.boolean()),
  enableIPConflictDetection: z.optional(z.boolean()),
});
export type IpConfig = z.infer<typeof IpConfig>;

export const Route = z.object({
  ifName: z.string(),
  dst: z.string(),
  gw: z.string(),
});
export type Route = z.infer<typeof Route>;

export const Dns = z.object({
  domain: z.optional(z.string()),
  nameservers: z.optional(z.array(z.string())),
  options: z.optional(z.array(z.string())),
  search: z.optional(z.array(z.string())),
});
export type Dns = z.infer<typeof Dns>;

/** 200 of POST /v1/ipam/ip. `ips` is always an array (never null). */
export const IpamAddResponse = z.object({
  ips: z.array(IpConfig),
  routes: z.optional(z.array(Route)),
  dns: z.optional(Dns),
});
export type IpamAddResponse = z.infer<typeof IpamAddResponse>;

/** DELETE /v1/ipam/ip — one CNI DEL. */
export const IpamDelArgs = z.object({
  containerID: z.string(),
  ifName: z.string(),
  netNamespace: z.optional(z.string()),
  podNamespace: z.string(),
  podName: z.string(),
  podUID: z.string(),
});
export type IpamDelArgs = z.infer<typeof IpamDelArgs>;

/** DELETE /v1/ipam/ips — release every IP of the pod (ADD rollback, conflict clean-up). */
export const IpamBatchDelArgs = z.object({
  containerID: z.string(),
  netNamespace: z.optional(z.string()),
  podNamespace: z.string(),
  podName: z.string(),
  podUID: z.string(),
  isReleaseConflictIPs: z.optional(z.boolean()),
});
export type IpamBatchDelArgs = z.infer<typeof IpamBatchDelArgs>;

/** Query of GET /v1/coordinator/config (upstream sent a JSON body on the GET). */
export const CoordinatorConfigQuery = z.object({
  podNamespace: z.string().check(z.minLength(1)),
  podName: z.string().check(z.minLength(1)),
});
export type CoordinatorConfigQuery = z.infer<typeof CoordinatorConfigQuery>;

export const CoordinatorRoute = z.object({
  dst: z.optional(z.string()),
  gw: z.optional(z.string()),
});
export type CoordinatorRoute = z.infer<typeof CoordinatorRoute>;

export const CoordinatorConfig = z.object({
  mode: z.string(),
  overlayPodCIDR: z.array(z.string()),
  serviceCIDR: z.array(z.string()),
  hijackCIDR: z.optional(z.array(z.string())),
  policyRoutes: z.optional(z.nullable(z.array(CoordinatorRoute))),
  podMACPrefix: z.optional(z.string()),
  tunePodRoutes: z.boolean(),
  podDefaultRouteNIC: z.optional(z.string()),
  hostRuleTable: z.optional(z.int()),
  podRPFilter: z.optional(z.int()),
  txQueueLen: z.optional(z.int()),
  vethLinkAddress: z.optional(z.string()),
  vethMTU: z.optional(z.int()),
});
export type CoordinatorConfig = z.infer<typeof CoordinatorConfig>;

/** Query of GET /v1/workloadendpoint. */
export const WorkloadEndpointQuery = z.object({
  podNamespace: z.string().check(z.minLength(1)),
  podName: z.string().check(z.minLength(1)),
});
export type WorkloadEndpointQuery = z.infer<typeof WorkloadEndpointQuery>;

export const InterfaceRoute = z.object({
  ifName: z.optional(z.string()),
  dst: z.string(),
  gw: z.string(),
});
export type InterfaceRoute = z.infer<typeof InterfaceRoute>;

export const InterfaceDetail = z.object({
  interface: z.string(),
  ipv4: z.optional(z.string()),
  ipv6: z.optional(z.string()),
  ipv4Pool: z.optional(z.string()),
  ipv6Pool: z.optional(z.string()),
  ipv4Gateway: z.optional(z.string()),
  ipv6Gateway: z.optional(z.string()),
  mac: z.optional(mac),
  vlan: z.optional(z.int()),
  routes: z.optional(z.array(InterfaceRoute)),
});
export type InterfaceDetail = z.infer<typeof InterfaceDetail>;

export const WorkloadEndpointStatus = z.object({
  podNamespace: z.string(),
  podName: z.string(),
  podUID: z.string(),
  node: z.string(),
  interfaces: z.array(InterfaceDetail),
});
export type WorkloadEndpointStatus = z.infer<typeof WorkloadEndpointStatus>;
