import { z } from 'zod';
import { API_GROUP, API_GROUP_VERSION, API_VERSION, SPIDERPOOL_CATEGORY } from './constants.js';
import { int32, integer, ObjectMetaSchema } from './common.schema.js';
import { CoordinatorSpecSchema } from './spider-coordinator.schema.js';
import { defineCrd } from './crd-definition.js';

export const CNI_TYPES = ['macvlan', 'ipvlan', 'vlan', 'sriov', 'ovs', 'ib-sriov', 'ipoib', 'custom'] as const;
export type CniType = (typeof CNI_TYPES)[number];

const vlanId = () => int32().min(0).max(4094);

/** Default pools written into the generated `ipam` section. */
export const SpiderpoolPoolsSchema = z
  .strictObject({
    ipv4: z.array(z.string()).optional().meta({ description: 'Default IPv4 pool names.' }),
    ipv6: z.array(z.string()).optional().meta({ description: 'Default IPv6 pool names.' }),
    matchMasterSubnet: z
      .boolean()
      .default(false)
      .meta({ description: 'Only pools whose subnet is on the master (SR-IOV only).' }),
  })
  .meta({ description: 'Default IPv4/IPv6 pools of the spiderpool IPAM section.' });

export const BondConfigSchema = z
  .strictObject({
    name: z.string().meta({ description: 'Bond device name.' }),
    mode: int32().min(0).max(6).meta({ description: 'Bonding mode, 0 to 6.' }),
    options: z.string().optional().meta({ description: 'Extra bonding options.' }),
  })
  .meta({ description: 'Bond made by the ifacer plugin from several masters.' });

const master = () => z.array(z.string()).meta({ description: 'Master interface(s); several make a bond.' });
const mtu = () => int32().min(0).default(0).meta({ description: 'MTU; 0 leaves the kernel choice.' });
const ippools = () => SpiderpoolPoolsSchema.optional();
const rdmaResourceName = () =>
  z.string().optional().meta({ description: 'RDMA resource name injected into pod resources.' });

export const SpiderMacvlanCniConfigSchema = z.strictObject({
  master: master(),
  vlanID: vlanId().optional().meta({ description: 'VLAN ID, 0 to 4094.' }),
  mtu: mtu(),
  bond: BondConfigSchema.optional(),
  rdmaResourceName: rdmaResourceName(),
  ippools: ippools(),
});
export const SpiderIPvlanCniConfigSchema = SpiderMacvlanCniConfigSchema;

export const SpiderVlanCniConfigSchema = z.strictObject({
  master: master(),
  vlanMode: z.enum(['manual', 'auto']).default('manual').meta({ description: 'manual needs vlanID; auto forbids it.' }),
  vlanID: vlanId().optional().meta({ description: 'VLAN ID, 0 to 4094.' }),
  mtu: mtu(),
  bond: BondConfigSchema.optional(),
  rdmaResourceName: rdmaResourceName(),
  ippools: ippools(),
});

export const SpiderSRIOVCniConfigSchema = z.strictObject({
  resourceName: z.string().optional().meta({ description: 'SR-IOV device-plugin resource name (required).' }),
  vlanID: vlanId().optional().meta({ description: 'VLAN ID, 0 to 4094.' }),
  mtu: int32().min(0).optional().meta({ description: 'MTU; > 0 adds a tuning plugin.' }),
  minTxRateMbps: integer().min(0).optional().meta({ description: 'Minimum TX rate in Mbps; 0 is unlimited.' }),
  maxTxRateMbps: integer().min(0).optional().meta({ description: 'Maximum TX rate in Mbps; 0 is unlimited.' }),
  rdmaIsolation: z.boolean().optional().meta({ description: 'Adds the rdma plugin when true.' }),
  ippools: ippools(),
});

export const SpiderIBSriovCniConfigSchema = z.strictObject({
  resourceName: z.string().optional().meta({ description: 'SR-IOV RDMA resource name (required).' }),
  pkey: z.string().optional().meta({ description: 'InfiniBand pkey of the VF.' }),
  linkState: z.enum(['auto', 'enable', 'disable']).default('enable').meta({ description: 'VF link state.' }),
  rdmaIsolation: z.boolean().default(true).meta({ description: 'Isolate RDMA traffic in the pod.' }),
  enableIbKubernetes: z.boolean().default(false).meta({ description: 'Work with ib-kubernetes.' }),
  ippools: ippools(),
});

export const SpiderIpoibCniConfigSchema = z.strictObject({
  master: z.string().optional().meta({ description: 'Host interface the link is made from (required).' }),
  ippools: ippools(),
});

export const OvsTrunkSchema = z.strictObject({
  minID: integer().min(0).max(4094).optional().meta({ description: 'First VLAN of a trunk range.' }),
  maxID: integer().min(0).max(4094).optional().meta({ description: 'Last VLAN of a trunk range.' }),
  id: integer().min(0).max(4094).optional().meta({ description: 'A single trunk VLAN.' }),
});

export const SpiderOvsCniConfigSchema = z.strictObject({
  bridge: z.string().meta({ description: 'OVS bridge name.' }),
  vlan: int32().optional().meta({ description: 'Access VLAN, 0 to 4094 (checked by the webhook).' }),
  trunk: z.array(OvsTrunkSchema).optional().meta({ description: 'Trunk VLANs.' }),
  deviceID: z.string().optional().meta({ description: 'PCI address of a VF, for hardware offload.' }),
  ippools: ippools(),
});

/** spec/crds.md §6.1 */
export const SpiderMultusConfigSpecSchema = z.strictObject({
  cniType: z.enum(CNI_TYPES).default('custom').meta({ description: 'Which sub-configuration is used.' }),
  macvlan: SpiderMacvlanCniConfigSchema.optional(),
  ipvlan: SpiderIPvlanCniConfigSchema.optional(),
  vlan: SpiderVlanCniConfigSchema.optional(),
  sriov: SpiderSRIOVCniConfigSchema.optional(),
  ovs: SpiderOvsCniConfigSchema.optional(),
  ibsriov: SpiderIBSriovCniConfigSchema.optional(),
  ipoib: SpiderIpoibCniConfigSchema.optional(),
  enableCoordinator: z
    .boolean()
    .default(true)
    .meta({ description: 'Append the coordinator plugin; forced to false for custom.' }),
  disableIPAM: z.boolean().default(false).meta({ description: 'When true, no ipam section is generated.' }),
  coordinator: CoordinatorSpecSchema.optional().meta({ description: 'Coordinator plugin settings.' }),
  chainCNIJsonData: z
    .array(z.string())
    .optional()
    .meta({ description: 'CNI plugin objects (JSON text) appended to the chain.' }),
  customCNI: z.string().optional().meta({ description: 'Whole CNI configuration (JSON text) for cniType custom.' }),
});

export const SpiderMultusConfigSchema = z.object({
  apiVersion: z.literal(API_GROUP_VERSION),
  kind: z.literal('SpiderMultusConfig'),
  metadata: ObjectMetaSchema.prefault({}),
  spec: SpiderMultusConfigSpecSchema.prefault({}),
});

export type SpiderpoolPools = z.infer<typeof SpiderpoolPoolsSchema>;
export type BondConfig = z.infer<typeof BondConfigSchema>;
export type SpiderMacvlanCniConfig = z.infer<typeof SpiderMacvlanCniConfigSchema>;
export type SpiderIPvlanCniConfig = SpiderMacvlanCniConfig;
export type SpiderVlanCniConfig = z.infer<typeof SpiderVlanCniConfigSchema>;
export type SpiderSRIOVCniConfig = z.infer<typeof SpiderSRIOVCniConfigSchema>;
export type SpiderIBSriovCniConfig = z.infer<typeof SpiderIBSriovCniConfigSchema>;
export type SpiderIpoibCniConfig = z.infer<typeof SpiderIpoibCniConfigSchema>;
export type SpiderOvsCniConfig = z.infer<typeof SpiderOvsCniConfigSchema>;
export type SpiderMultusConfigSpec = z.infer<typeof SpiderMultusConfigSpecSchema>;
export type SpiderMultusConfig = z.infer<typeof SpiderMultusConfigSchema>;

export const SpiderMultusConfigCrd = defineCrd({
  group: API_GROUP,
  version: API_VERSION,
  names: {
    kind: 'SpiderMultusConfig',
    listKind: 'SpiderMultusConfigList',
    plural: 'spidermultusconfigs',
    singular: 'spidermultusconfig',
    shortNames: ['smc'],
    categories: [SPIDERPOOL_CATEGORY],
  },
  scope: 'Namespaced',
  subresources: 'none',
  description: 'SpiderMultusConfig describes a network from which a NetworkAttachmentDefinition is generated.',
  printerColumns: [],
  schema: SpiderMultusConfigSchema,
});
