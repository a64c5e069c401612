import { isIP } from 'node:net';
import { COORDINATOR_MODES, DEFAULT_COORDINATOR_NAME, POD_CIDR_TYPES, type CoordinatorSpec } from '@spiderpool/crd-types';
import { z } from 'zod';

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 't', 'f', 'T', 'F', 'TRUE', 'FALSE', 'True', 'False'])
    .default(def ? 'true' : 'false')
    .transform((v) => ['true', '1', 't'].includes(v.toLowerCase()));

const seconds = (def: number) => z.coerce.number().int().min(0).default(def);
const optionalName = () => z.string().trim().optional();

/**
 * Env fragment of the SpiderCoordinator controller (controller-and-chart.md §0.2, §2.3). The default
 * coordinator's spec comes from the same `SPIDERPOOL_INIT_DEFAULT_COORDINATOR_*` variables the chart already
 * sets for upstream's init Job, so chart values keep their meaning. Merge the shape into the app schema and map
 * with `coordinatorOptions`.
 */
export const COORDINATOR_ENV_SHAPE = {
  SPIDERPOOL_COORDINATOR_ENABLED: bool(false),
  SPIDERPOOL_COORDINATOR_DEFAULT_NAME: optionalName(),
  /** Upstream's misspelt name; the correct one wins when both are set. */
  SPIDERPOOL_COORDINATOR_DEAFULT_NAME: optionalName(),
  SPIDERPOOL_COORDINATOR_INFORMER_RESYNC_PERIOD: seconds(60),
  SPIDERPOOL_CNI_CONFIG_DIR: z.string().min(1).default('/etc/cni/net.d'),
  SPIDERPOOL_CILIUM_CONFIGMAP_NAMESPACE_NAME: z
    .string()
    .regex(/^[^/]+\/[^/]+$/, 'want <namespace>/<name>')
    .default('kube-system/cilium-config'),
  SPIDERPOOL_INIT_DEFAULT_COORDINATOR_MODE: z
    .enum(['', ...COORDINATOR_MODES])
    .default('auto')
    .transform((v) => v || 'auto'),
  SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: z.enum(POD_CIDR_TYPES).default('auto'),
  SPIDERPOOL_INIT_DEFAULT_COORDINATOR_TUNE_POD_ROUTES: bool(true),
  SPIDERPOOL_INIT_DEFAULT_COORDINATOR_HIJACK_CIDR: z.string().default(''),
  SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POLICY_ROUTES: z.string().default(''),
  SPIDERPOOL_INIT_DEFAULT_COORDINATOR_VETH_LINK_ADDRESS: z.string().default(''),
  SPIDERPOOL_INIT_DEFAULT_COORDINATOR_VETH_MTU: z
    .string()
    .default('')
    .transform((v) => (v.trim() === '' ? 1500 : Number(v)))
    .pipe(z.number().int().min(1)),
};

export const CoordinatorEnvSchema = z.object(COORDINATOR_ENV_SHAPE);
export type CoordinatorEnv = z.output<typeof CoordinatorEnvSchema>;

/** The spec fields the controller owns on the default SpiderCoordinator. */
export type DefaultCoordinatorSpec = Required<
  Pick<
    CoordinatorSpec,
    'mode' | 'podCIDRType' | 'tunePodRoutes' | 'hijackCIDR' | 'policyRoutes' | 'podDefaultRouteNIC' | 'podMACPrefix' | 'vethLinkAddress' | 'vethMTU'
  >
>;

export interface CoordinatorOptions {
  readonly enabled: boolean;
  readonly name: string;
  readonly resyncPeriodMs: number;
  readonly cniConfigDir: string;
  readonly ciliumConfigMap: { readonly namespace: string; readonly name: string };
  readonly defaultSpec: DefaultCoordinatorSpec;
}

/** A bare IP gets `/32` or `/128`; a prefix is kept as written (host bits kept), IPv6 lower-cased. */
export function normalizePrefix(text: string): string {
  const value = text.trim();
  const [ip = '', prefix] = value.split('/');
  const family = isIP(ip);
  if (family === 0) throw new Error(`invalid IP or CIDR ${JSON.stringify(text)}`);
  const addr = family === 6 ? ip.toLowerCase() : ip;
  return prefix === undefined ? `${addr}/${family === 4 ? 32 : 128}` : `${addr}/${prefix}`;
}

/** The chart passes hijackCIDR as JSON text; accept that or a comma/space separated list (§2.3). */
export function parseHijackCidr(text: string): string[] {
  return text
    .replace(/["\\[\]]/g, '')
    .replace(/,/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map(normalizePrefix);
}

const RoutesSchema = z.array(z.object({ dst: z.string(), gw: z.string() }));

export function parsePolicyRoutes(text: string): Array<{ dst: string; gw: string }> {
  const clean = text.replace(/\\/g, '').trim();
  if (clean === '') return [];
  return RoutesSchema.parse(JSON.parse(clean)).map((r) => ({ dst: normalizePrefix(r.dst), gw: r.gw }));
}

export function coordinatorOptions(env: CoordinatorEnv): CoordinatorOptions {
  const [namespace = '', name = ''] = env.SPIDERPOOL_CILIUM_CONFIGMAP_NAMESPACE_NAME.split('/');
  return Object.freeze({
    enabled: env.SPIDERPOOL_COORDINATOR_ENABLED,
    name: env.SPIDERPOOL_COORDINATOR_DEFAULT_NAME || env.SPIDERPOOL_COORDINATOR_DEAFULT_NAME || DEFAULT_COORDINATOR_NAME,
    resyncPeriodMs: env.SPIDERPOOL_COORDINATOR_INFORMER_RESYNC_PERIOD * 1000,
    cniConfigDir: env.SPIDERPOOL_CNI_CONFIG_DIR,
    ciliumConfigMap: { namespace, name },
    defaultSpec: {
      mode: env.SPIDERPOOL_INIT_DEFAULT_COORDINATOR_MODE as DefaultCoordinatorSpec['mode'],
      podCIDRType: env.SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE,
      tunePodRoutes: env.SPIDERPOOL_INIT_DEFAULT_COORDINATOR_TUNE_POD_ROUTES,
      hijackCIDR: parseHijackCidr(env.SPIDERPOOL_INIT_DEFAULT_COORDINATOR_HIJACK_CIDR),
      policyRoutes: parsePolicyRoutes(env.SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POLICY_ROUTES),
      podDefaultRouteNIC: '',
      podMACPrefix: '',
      vethLinkAddress: env.SPIDERPOOL_INIT_DEFAULT_COORDINATOR_VETH_LINK_ADDRESS,
      vethMTU: env.SPIDERPOOL_INIT_DEFAULT_COORDINATOR_VETH_MTU,
    },
  });
}
