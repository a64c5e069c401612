import { z } from 'zod';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, SPIDERPOOL_CATEGORY } from './constants.js';
import { int64, IPVersionSchema, LabelSelectorSchema, ObjectMetaSchema, RouteSchema } from './common.schema.js';
import { defineCrd } from './crd-definition.js';

const ipRanges = (description: string) => z.array(z.string()).optional().meta({ description });

/** spec/crds.md §2.1 */
export const SpiderIPPoolSpecSchema = z.strictObject({
  ipVersion: IPVersionSchema.optional(),
  subnet: z.string().meta({ description: 'Canonical CIDR of the pool; immutable.' }),
  ips: ipRanges('Single IPs or inclusive ranges `a-b` the pool hands out.'),
  excludeIPs: ipRanges('Single IPs or ranges removed from ips.'),
  gateway: z.string().optional().meta({ description: 'Default-route next hop for pods.' }),
  routes: z.array(RouteSchema).optional().meta({ description: 'Extra routes handed to pods.' }),
  podAffinity: LabelSelectorSchema.optional().meta({ description: 'Pods allowed to use the pool.' }),
  namespaceAffinity: LabelSelectorSchema.optional().meta({ description: 'Namespaces allowed to use the pool.' }),
  namespaceName: z.array(z.string()).optional().meta({ description: 'Namespaces allowed; beats namespaceAffinity.' }),
  nodeAffinity: LabelSelectorSchema.optional().meta({ description: 'Nodes allowed to use the pool.' }),
  nodeName: z.array(z.string()).optional().meta({ description: 'Nodes allowed; beats nodeAffinity.' }),
  multusName: z
    .array(z.string())
    .optional()
    .meta({ description: 'NetworkAttachmentDefinitions (`name` or `namespace/name`) allowed.' }),
  default: z.boolean().default(false).meta({ description: 'Cluster-default pool candidate.' }),
  disable: z.boolean().default(false).meta({ description: 'When true, the pool hands out no new IPs.' }),
});

/** spec/crds.md §2.2. `allocatedIPs` is JSON text inside a string; ipam-core owns its codec. */
export const SpiderIPPoolStatusSchema = z.strictObject({
  allocatedIPs: z
    .string()
    .optional()
    .meta({ description: 'JSON map of allocated IP to {pod, podUid}; absent when nothing is allocated.' }),
  allocatedIPCount: int64().min(0).optional().meta({ description: 'Number of records in allocatedIPs.' }),
  totalIPCount: int64().min(0).optional().meta({ description: 'Number of IPs in ips minus excludeIPs.' }),
});

export const SpiderIPPoolSchema = z.object({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal('SpiderIPPool'),
  metadata: ObjectMetaSchema.prefault({}),
  spec: SpiderIPPoolSpecSchema,
  status: SpiderIPPoolStatusSchema.optional(),
});

export type SpiderIPPoolSpec = z.infer<typeof SpiderIPPoolSpecSchema>;
export type SpiderIPPoolStatus = z.infer<typeof SpiderIPPoolStatusSchema>;
export type SpiderIPPool = z.infer<typeof SpiderIPPoolSchema>;

export const SpiderIPPoolCrd = defineCrd({
  group: API_GROUP,
  version: API_VERSION,
  names: {
    kind: 'SpiderIPPool',
    listKind: 'SpiderIPPoolList',
    plural: 'spiderippools',
    singular: 'spiderippool',
    shortNames: ['sp'],
    categories: [SPIDERPOOL_CATEGORY],
  },
  scope: 'Cluster',
  subresources: 'status',
  description: 'SpiderIPPool is a set of IPs that pods are assigned from.',
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
    { name: 'DEFAULT', type: 'boolean', jsonPath: '.spec.default', description: 'default' },
    { name: 'DISABLE', type: 'boolean', jsonPath: '.spec.disable', description: 'disable', priority: 10 },
    { name: 'NodeName', type: 'string', jsonPath: '.spec.nodeName', description: 'nodeName', priority: 10 },
    { name: 'MultusName', type: 'string', jsonPath: '.spec.multusName', description: 'multusName', priority: 10 },
    {
      name: 'APP-NAMESPACE',
      type: 'string',
      jsonPath: ".spec.podAffinity.matchLabels['ipam\\.spidernet\\.io/app\\-namespace']",
      description: 'AppNamespace',
      priority: 10,
    },
  ],
  schema: SpiderIPPoolSchema,
});
