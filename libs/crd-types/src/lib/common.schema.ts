import { z } from 'zod';

/** An int64 field (`format: int64` in the CRD); JS numbers stay within the safe-integer range. */
export const int64 = () => z.int().meta({ format: 'int64' });
/** An int32 field (`format: int32` in the CRD). */
export const int32 = () => z.int32();
/** A Go `int`/`uint` field: integer without a CRD format. */
export const integer = () => z.int();

/** IP version of a pool, subnet or reserved-IP object. */
export const IPVersionSchema = z.literal([4, 6]).meta({ format: 'int64', description: 'IP family: 4 or 6.' });
export type IPVersion = 4 | 6;

/** A route handed to pods; both keys are required. */
export const RouteSchema = z
  .strictObject({
    dst: z.string().meta({ description: 'Destination CIDR.' }),
    gw: z.string().meta({ description: 'Next-hop IP.' }),
  })
  .meta({ description: 'A static route.' });
export type Route = z.infer<typeof RouteSchema>;

export const LabelSelectorRequirementSchema = z.strictObject({
  key: z.string().meta({ description: 'Label key the selector applies to.' }),
  operator: z.string().meta({ description: 'One of In, NotIn, Exists, DoesNotExist.' }),
  values: z
    .array(z.string())
    .optional()
    .meta({ description: 'Values for In/NotIn; empty for Exists/DoesNotExist.', 'x-kubernetes-list-type': 'atomic' }),
});

/** Kubernetes metav1.LabelSelector (atomic map/list types, as upstream). */
export const LabelSelectorSchema = z
  .strictObject({
    matchExpressions: z
      .array(LabelSelectorRequirementSchema)
      .optional()
      .meta({ description: 'Label selector requirements, ANDed.', 'x-kubernetes-list-type': 'atomic' }),
    matchLabels: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Exact key/value matches, ANDed with matchExpressions.' }),
  })
  .meta({ 'x-kubernetes-map-type': 'atomic' });
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;

export const OwnerReferenceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof OwnerReferenceSchema>;

/** The ObjectMeta fields we read; anything else (managedFields, ...) passes through untouched. */
export const ObjectMetaSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  creationTimestamp: z.string().nullish(),
  deletionTimestamp: z.string().nullish(),
  deletionGracePeriodSeconds: z.int().nullish(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;
