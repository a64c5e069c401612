import { z } from 'zod';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, SPIDERPOOL_CATEGORY } from './constants.js';
import { IPVersionSchema, ObjectMetaSchema } from './common.schema.js';
import { defineCrd } from './crd-definition.js';

/** spec/crds.md §4.1 */
export const SpiderReservedIPSpecSchema = z.strictObject({
  ipVersion: IPVersionSchema.optional(),
  ips: z
    .array(z.string())
    .optional()
    .meta({ description: 'Single IPs or inclusive ranges no pool of the family may hand out.' }),
});

export const SpiderReservedIPSchema = z.object({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal('SpiderReservedIP'),
  metadata: ObjectMetaSchema.prefault({}),
  spec: SpiderReservedIPSpecSchema.prefault({}),
});

export type SpiderReservedIPSpec = z.infer<typeof SpiderReservedIPSpecSchema>;
export type SpiderReservedIP = z.infer<typeof SpiderReservedIPSchema>;

export const SpiderReservedIPCrd = defineCrd({
  group: API_GROUP,
  version: API_VERSION,
  names: {
    kind: 'SpiderReservedIP',
    listKind: 'SpiderReservedIPList',
    plural: 'spiderreservedips',
    singular: 'spiderreservedip',
    shortNames: ['sr'],
    categories: [SPIDERPOOL_CATEGORY],
  },
  scope: 'Cluster',
  subresources: 'empty',
  description: 'SpiderReservedIP lists IPs that no pool of the same family may hand out.',
  printerColumns: [{ name: 'VERSION', type: 'string', jsonPath: '.spec.ipVersion', description: 'ipVersion' }],
  schema: SpiderReservedIPSchema,
});
