import { z } from 'zod';

// JSON values of the pod and namespace annotations (spec/ipam.md §2.1–2.2). Parsing follows upstream: strict
// JSON, unknown keys ignored (stripped).

const names = () => z.array(z.string());

/** `ipam.spidernet.io/ippool`: candidate pools for the NIC of the current CNI call. */
export const IPPoolAnnotationSchema = z.object({
  ipv4: names().optional(),
  ipv6: names().optional(),
});
export type IPPoolAnnotation = z.infer<typeof IPPoolAnnotationSchema>;

/** One item of `ipam.spidernet.io/ippools`. */
export const IPPoolsAnnotationItemSchema = z.object({
  interface: z.string().optional(),
  ipv4: names().optional(),
  ipv6: names().optional(),
  cleangateway: z.boolean().default(false),
});
/** `ipam.spidernet.io/ippools`: multi-NIC form; all items name an interface or none does. */
export const IPPoolsAnnotationSchema = z.array(IPPoolsAnnotationItemSchema);
export type IPPoolsAnnotationItem = z.infer<typeof IPPoolsAnnotationItemSchema>;
export type IPPoolsAnnotation = z.infer<typeof IPPoolsAnnotationSchema>;

/** `ipam.spidernet.io/subnet`: auto-pool mode, single NIC (`interface` defaults to eth0 in IPAM). */
export const SubnetAnnotationSchema = z.object({
  interface: z.string().optional(),
  ipv4: names().optional(),
  ipv6: names().optional(),
});
export type SubnetAnnotation = z.infer<typeof SubnetAnnotationSchema>;

/** `ipam.spidernet.io/subnets`: auto-pool mode, several NICs. */
export const SubnetsAnnotationSchema = z.array(SubnetAnnotationSchema);
export type SubnetsAnnotation = z.infer<typeof SubnetsAnnotationSchema>;

/** `ipam.spidernet.io/routes`. */
export const RoutesAnnotationSchema = z.array(z.object({ dst: z.string(), gw: z.string() }));
export type RoutesAnnotation = z.infer<typeof RoutesAnnotationSchema>;

/** `ipam.spidernet.io/default-ipv4-ippool` / `default-ipv6-ippool` on namespaces. */
export const DefaultIPPoolAnnotationSchema = names();
export type DefaultIPPoolAnnotation = z.infer<typeof DefaultIPPoolAnnotationSchema>;

/** `ipam.spidernet.io/ippool-ip-number`: `N` (fixed) or `+N` (replicas + N). Plain text, not JSON. */
export const IPPoolIPNumberAnnotationSchema = z.string().regex(/^\+?[0-9]+$/, 'expected N or +N with N ≥ 0');

export type AnnotationDecodeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly { path: string; message: string }[] };

/** Decodes the JSON text of an annotation with one of the schemas above; never throws. */
export function decodeJsonAnnotation<T>(schema: z.ZodType<T>, text: string): AnnotationDecodeResult<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, issues: [{ path: '', message: `invalid JSON: ${(err as Error).message}` }] };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  };
}
