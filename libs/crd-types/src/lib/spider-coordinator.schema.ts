import { z } from 'zod';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, SPIDERPOOL_CATEGORY } from './constants.js';
import { integer, ObjectMetaSchema, RouteSchema } from './common.schema.js';
import { defineCrd } from './crd-definition.js';

export const COORDINATOR_MODES = ['auto', 'underlay', 'overlay', 'disabled'] as const;
export const POD_CIDR_TYPES = ['auto', 'cluster', 'calico', 'cilium', 'none'] as const;

/** spec/crds.md §7.1; the same shape is embedded as SpiderMultusConfig `spec.coordinator`. */
export const CoordinatorSpecSchema = z.strictObject({
  mode: z.enum(COORDINATOR_MODES).default('auto').meta({ description: 'How the coordinator runs.' }),
  podCIDRType: z
    .enum(POD_CIDR_TYPES)
    .optional()
    .meta({ description: 'Where the pod CIDRs are read from; the webhook requires it on SpiderCoordinator.' }),
  hijackCIDR: z
    .array(z.string())
    .optional()
    .meta({ description: 'Extra CIDRs routed through the host, e.g. 169.254.0.0/16.' }),
  policyRoutes: z
    .array(RouteSchema)
    .optional()
    .meta({ description: "Static routes in the policy table of the coordinator's interface." }),
  podMACPrefix: z.string().optional().meta({ description: 'Fixed two-byte unicast MAC prefix, e.g. 0a:1b.' }),
  tunePodRoutes: z.boolean().default(true).meta({ description: 'Tune routes when the pod has several NICs.' }),
  podDefaultRouteNIC: z
    .string()
    .optional()
    .meta({ description: "NIC holding the pod's default route; empty keeps it on eth0." }),
  hostRuleTable: integer().default(500).meta({ description: 'Policy-routing table for host-to-pod traffic.' }),
  podRPFilter: integer()
    .default(0)
    .meta({ description: 'rp_filter of the pod: 0, 1 or 2; a negative value leaves it unchanged.' }),
  txQueueLen: integer().default(0).meta({ description: 'tx_queue_len of the pod; 0 leaves it unchanged.' }),
  vethLinkAddress: z.string().optional().meta({ description: 'Link-local IP for veth0; empty disables it.' }),
  vethMTU: integer().min(1).optional().meta({ description: 'MTU of veth0.' }),
  // Fields of older releases still shown in the user guides (seed 004); accepted and ignored.
  detectGateway: z.boolean().optional().meta({ description: 'Deprecated and ignored.' }),
  detectIPConflict: z.boolean().optional().meta({ description: 'Deprecated and ignored.' }),
  hostRPFilter: integer().optional().meta({ description: 'Deprecated and ignored.' }),
});

/** spec/crds.md §7.2 */
export const SpiderCoordinatorStatusSchema = z.strictObject({
  phase: z.string().meta({ description: 'Synced or NotReady.' }),
  reason: z.string().optional().meta({ description: 'Why the phase is NotReady.' }),
  overlayPodCIDR: z.array(z.string()).nullish().meta({ description: 'Detected pod CIDRs.' }),
  serviceCIDR: z.array(z.string()).nullish().meta({ description: 'Detected service CIDRs.' }),
});

export const SpiderCoordinatorSchema = z.object({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal('SpiderCoordinator'),
  metadata: ObjectMetaSchema.prefault({}),
  spec: CoordinatorSpecSchema.prefault({}),
  status: SpiderCoordinatorStatusSchema.optional(),
});

export type CoordinatorSpec = z.infer<typeof CoordinatorSpecSchema>;
export type SpiderCoordinatorSpec = CoordinatorSpec;
export const SpiderCoordinatorSpecSchema = CoordinatorSpecSchema;
export type SpiderCoordinatorStatus = z.infer<typeof SpiderCoordinatorStatusSchema>;
export type SpiderCoordinator = z.infer<typeof SpiderCoordinatorSchema>;

export const SpiderCoordinatorCrd = defineCrd({
  group: API_GROUP,
  version: API_VERSION,
  names: {
    kind: 'SpiderCoordinator',
    listKind: 'SpiderCoordinatorList',
    plural: 'spidercoordinators',
    singular: 'spidercoordinator',
    shortNames: ['scc'],
    categories: [SPIDERPOOL_CATEGORY],
  },
  scope: 'Cluster',
  subresources: 'status',
  description: 'SpiderCoordinator holds the cluster-wide defaults of the coordinator plugin (singleton `default`).',
  printerColumns: [],
  schema: SpiderCoordinatorSchema,
});
