import { z } from 'zod';
import { NAD_API_GROUP, NAD_API_GROUP_VERSION, NAD_API_VERSION } from './constants.js';
import { ObjectMetaSchema } from './common.schema.js';
import { defineCrd } from './crd-definition.js';

/** spec/crds.md §9.1 */
export const NetworkAttachmentDefinitionSpecSchema = z.strictObject({
  config: z.string().optional().meta({ description: 'CNI configuration, as JSON text.' }),
});

export const NetworkAttachmentDefinitionSchema = z.object({
  apiVersion: z.literal(NAD_API_GROUP_VERSION),
  kind: z.literal('NetworkAttachmentDefinition'),
  metadata: ObjectMetaSchema.prefault({}),
  spec: NetworkAttachmentDefinitionSpecSchema.optional(),
});

export type NetworkAttachmentDefinitionSpec = z.infer<typeof NetworkAttachmentDefinitionSpecSchema>;
export type NetworkAttachmentDefinition = z.infer<typeof NetworkAttachmentDefinitionSchema>;

export const NetworkAttachmentDefinitionCrd = defineCrd({
  group: NAD_API_GROUP,
  version: NAD_API_VERSION,
  names: {
    kind: 'NetworkAttachmentDefinition',
    listKind: 'NetworkAttachmentDefinitionList',
    plural: 'network-attachment-definitions',
    singular: 'network-attachment-definition',
    shortNames: ['net-attach-def'],
    categories: [],
  },
  scope: 'Namespaced',
  subresources: 'none',
  description: 'NetworkAttachmentDefinition (Network Plumbing WG) carries one Multus network configuration.',
  printerColumns: [],
  schema: NetworkAttachmentDefinitionSchema,
});
