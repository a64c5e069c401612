import { z } from 'zod';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, SPIDERPOOL_CATEGORY } from './constants.js';
import { int64, IPVersionSchema, ObjectMetaSchema, RouteSchema } from './common.schema.js';
import { defineCrd } from './crd-definition.js';

/** spec/crds.md §3.1 */
export const SpiderSubnetSpecSchema = z.strictObject({
  ipVersion: IPVersionSchema.optional(),
  subnet: z.string().meta({ description: 'Canonical CIDR of the subnet; immutable.' }),
  ips: z.array(z.string()).optional().meta({ description: 'Single IPs or inclusive ranges `a-b` pools are carved from.' }),
  excludeIPs: z.array(z.string()).optional().meta({ description: 'Single IPs or ranges removed from ips.' }),
  gateway: z.string().optional().meta({ description: 'Gateway inherited by controlled pools.' }),
  routes: z.array(RouteSchema).optional().meta({ description: 'Routes inherited by controlled pools.' }),
});

/** spec/crds.md §3.2. `controlledIPPools` is JSON text inside a string. */
export const SpiderSubnetStatusSchema = z.strictObject({
  controlledIPPools: z
    .string()
    .optional()
    .meta({ description: 'JSON map of pool name to {ips, application}; absent when empty.' }),
  totalIPCount: int64().min(0).optional().meta({ description: 'Number of IPs in ips minus excludeIPs.' }),
  allocatedIPCount: int64().min(0).optional().meta({ description: 'IPs pre-allocated to controlled pools.' }),
});

export const SpiderSubnetSchema = z.object({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal('SpiderSubnet'),
  metadata: ObjectMetaSchema.prefault({}),
  spec: SpiderSubnetSpecSchema,
  status: SpiderSubnetStatusSchema.optional(),
});

export type SpiderSubnetSpec = z.infer<typeof SpiderSubnetSpecSchema>;
export type SpiderSubnetStatus = z.infer<typeof SpiderSubnetStatusSchema>;
export type SpiderSubnet = z.infer<typeof SpiderSubnetSchema>;

export const SpiderSubnetCrd = defineCrd({
  group: API_GROUP,
  version: API_VERSION,
  names: {
    kind: 'SpiderSubnet',
    listKind: 'SpiderSubnetList',
    plural: 'spidersubnets',
    singular: 'spidersubnet',
    shortNames: ['ss'],
    categories: [SPIDERPOOL_CATEGORY],
  },
  scope: 'Cluster',
  subresources: 'status',
  description: 'SpiderSubnet is the superset of IPs that manual and auto-created pools are carved from.',
  printerColumns: [
    { name: 'VERSION', type: 'string', jsonPath: '.spec.ipVersion', description: 'ipVersion' },
    { name: 'SUBNET', type: 'string', jsonPath: '.spec.subnet', description: 'subnet' },
    {
      name: 'ALLOCATED-IP-COUNT',
      type: 'integer',
      jsonPath: '.status.allocatedIPCount',
      description: 'allocatedIPCount',
    },
    { name: 'TOTAL-IP-COUNT', type: 'integer', jsonPath: '.status.totalIPCount', description: 'totalIPCount' },
  ],
  schema: SpiderSubnetSchema,
});
