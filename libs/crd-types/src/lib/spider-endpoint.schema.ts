import { z } from 'zod';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, SPIDERPOOL_CATEGORY } from './constants.js';
import { int64, ObjectMetaSchema, RouteSchema } from './common.schema.js';
import { defineCrd } from './crd-definition.js';

/** One NIC of a pod allocation (spec/crds.md §5.1). */
export const IPAllocationDetailSchema = z.strictObject({
  interface: z.string().meta({ description: 'NIC name; may be empty until renamed.' }),
  ipv4: z.string().optional().meta({ description: 'IPv4 address with the pool prefix length.' }),
  ipv6: z.string().optional().meta({ description: 'IPv6 address with the pool prefix length.' }),
  ipv4Pool: z.string().optional().meta({ description: 'Pool the IPv4 address came from.' }),
  ipv6Pool: z.string().optional().meta({ description: 'Pool the IPv6 address came from.' }),
  vlan: int64().min(0).max(4094).default(0).meta({ description: 'VLAN ID; always 0 today.' }),
  ipv4Gateway: z.string().optional().meta({ description: 'IPv4 gateway of the pool.' }),
  ipv6Gateway: z.string().optional().meta({ description: 'IPv6 gateway of the pool.' }),
  cleanGateway: z.boolean().optional().meta({ description: 'When true, no default route is made for this NIC.' }),
  routes: z.array(RouteSchema).optional().meta({ description: 'Pool routes plus annotation routes.' }),
  mac: z.string().optional().meta({ description: 'MAC supplied by an IaaS provider.' }),
});

export const PodIPAllocationSchema = z.strictObject({
  uid: z.string().meta({ description: 'UID of the pod owning the allocation.' }),
  node: z.string().meta({ description: 'Node the pod runs on.' }),
  ips: z.array(IPAllocationDetailSchema).meta({ description: 'One entry per NIC.' }),
});

export const SpiderEndpointStatusSchema = z.strictObject({
  current: PodIPAllocationSchema.meta({ description: 'Current allocation.' }),
  ownerControllerType: z.string().meta({ description: "Kind of the pod's top controller, or Pod." }),
  ownerControllerName: z.string().meta({ description: "Name of the pod's top controller, or the pod name." }),
});

export const SpiderEndpointSchema = z.object({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal('SpiderEndpoint'),
  metadata: ObjectMetaSchema.prefault({}),
  status: SpiderEndpointStatusSchema.optional(),
});

export type IPAllocationDetail = z.infer<typeof IPAllocationDetailSchema>;
export type PodIPAllocation = z.infer<typeof PodIPAllocationSchema>;
export type SpiderEndpointStatus = z.infer<typeof SpiderEndpointStatusSchema>;
export type SpiderEndpoint = z.infer<typeof SpiderEndpointSchema>;

export const SpiderEndpointCrd = defineCrd({
  group: API_GROUP,
  version: API_VERSION,
  names: {
    kind: 'SpiderEndpoint',
    listKind: 'SpiderEndpointList',
    plural: 'spiderendpoints',
    singular: 'spiderendpoint',
    shortNames: ['se'],
    categories: [SPIDERPOOL_CATEGORY],
  },
  scope: 'Namespaced',
  subresources: 'empty',
  description: "SpiderEndpoint records a pod's IP allocation; status is a plain field, not a subresource.",
  printerColumns: [
    { name: 'INTERFACE', type: 'string', jsonPath: '.status.current.ips[0].interface', description: 'interface' },
    { name: 'IPV4POOL', type: 'string', jsonPath: '.status.current.ips[0].ipv4Pool', description: 'ipv4Pool' },
    { name: 'IPV4', type: 'string', jsonPath: '.status.current.ips[0].ipv4', description: 'ipv4' },
    { name: 'IPV6POOL', type: 'string', jsonPath: '.status.current.ips[0].ipv6Pool', description: 'ipv6Pool' },
    { name: 'IPV6', type: 'string', jsonPath: '.status.current.ips[0].ipv6', description: 'ipv6' },
    { name: 'NODE', type: 'string', jsonPath: '.status.current.node', description: 'node' },
  ],
  schema: SpiderEndpointSchema,
});
