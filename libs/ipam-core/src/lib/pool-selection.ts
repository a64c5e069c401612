import { z } from 'zod';
import { parseAnnotationJson, wrongAnnotation } from './annotation-input.js';
import { splitApiVersion } from './auto-pool.js';
import { cidrContains, tryParseCIDR } from './cidr.js';
import { InvalidSpecError, NoAvailablePoolError, type PoolRejection } from './errors.js';
import { tryParseIP, type IPFamily } from './ip-address.js';
import { selectorMatches } from './label-selector.js';
import {
  ANNOTATION_IPPOOL,
  ANNOTATION_IPPOOLS,
  ANNOTATION_IPPOOL_IP_NUMBER,
  ANNOTATION_IPPOOL_RECLAIM,
  ANNOTATION_NS_DEFAULT_IPV4_IPPOOL,
  ANNOTATION_NS_DEFAULT_IPV6_IPPOOL,
  ANNOTATION_SUBNET,
  ANNOTATION_SUBNETS,
  LABEL_APP_API_GROUP,
  LABEL_APP_API_VERSION,
  LABEL_APP_KIND,
  LABEL_APP_NAME,
  LABEL_APP_NAMESPACE,
  LABEL_OWNER_APPLICATION_NAME,
  type LabelSelector,
  type SpiderIPPoolView,
} from './model.js';
import { resolveNicNetwork } from './multus-network.js';
import { isPoolNamePattern, matchPoolNamePattern } from './pool-name-pattern.js';

type Labels = Readonly<Record<string, string>>;

export interface SelectionPod {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly nodeName: string;
  /** The Pod has a controller ownerReference (orphan pods may not use SpiderSubnet auto pools). */
  readonly hasController: boolean;
}

/** The outermost owner of the Pod (ipam.md §3.2), resolved by the shell. */
export interface TopController {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface SelectionConfig {
  readonly enableIPv4: boolean;
  readonly enableIPv6: boolean;
  readonly enableSpiderSubnet: boolean;
  readonly enableAutoPoolForApplication: boolean;
  /** Namespace of the agent: default namespace of `multusName` entries and the default network. */
  readonly agentNamespace: string;
  /** `MULTUS_CLUSTER_NETWORK` (`namespace/name`), when set. */
  readonly clusterNetwork?: string | undefined;
}

/** The `ipam` section of the CNI network configuration, as far as selection reads it. */
export interface NetconfSelection {
  readonly defaultIPv4IPPool?: readonly string[];
  readonly defaultIPv6IPPool?: readonly string[];
  readonly cleanGateway?: boolean;
  readonly matchMasterSubnet?: boolean;
}

export interface SelectionInput {
  readonly pod: SelectionPod;
  readonly topController: TopController;
  /** The NIC of the current CNI call. */
  readonly nic: string;
  /** The pod's Namespace; undefined when it could not be read (namespaceAffinity pools are then filtered out). */
  readonly namespace: { readonly labels: Labels; readonly annotations: Labels } | undefined;
  /** The pod's Node; undefined when it could not be read (nodeAffinity pools are then filtered out). */
  readonly node: { readonly labels: Labels } | undefined;
  readonly netconf: NetconfSelection;
  readonly config: SelectionConfig;
  /** Every SpiderIPPool (cache list), in list order. */
  readonly pools: readonly SpiderIPPoolView[];
  /** `match_master_subnet`: addresses of the PF behind each NIC's VF; a missing NIC means the lookup failed. */
  readonly masterAddresses?: ReadonlyMap<string, readonly string[]>;
}

export type SelectionTier = 'ippools' | 'ippool' | 'namespace' | 'netconf' | 'cluster-default';

/** Pool names requested for one NIC by the winning tier, before filtering (ipam.md §3.3). */
export interface PreliminaryNic {
  readonly nic: string;
  readonly cleanGateway: boolean;
  readonly families: ReadonlyArray<{ readonly family: IPFamily; readonly pools: readonly string[] }>;
}

export interface FamilyCandidate {
  readonly family: IPFamily;
  /** Names as requested (after wildcard expansion), in order. */
  readonly requested: readonly string[];
  /** Surviving pools, ordered for trying (ipam.md §3.5, user order kept for ties). */
  readonly pools: readonly SpiderIPPoolView[];
  readonly rejections: readonly PoolRejection[];
}

export interface NicCandidates {
  readonly nic: string;
  readonly cleanGateway: boolean;
  readonly families: readonly FamilyCandidate[];
}

/** Tier 1: the shell must find (or wait for) the auto-created pools, then run `filterCandidatePools` on them. */
export interface SubnetRequest {
  readonly nic: string;
  readonly ipv4Subnet?: string;
  readonly ipv6Subnet?: string;
  /** `ippool-ip-number`: fixed size N, or replicas + N when flexible. Undefined when the annotation is absent. */
  readonly ipNumber?: { readonly flexible: boolean; readonly count: number };
  readonly reclaim: boolean;
}

export type SelectionOutcome =
  | { readonly kind: 'pools'; readonly tier: SelectionTier; readonly nics: readonly NicCandidates[] }
  | { readonly kind: 'subnet'; readonly requests: readonly SubnetRequest[] }
  | { readonly kind: 'failed'; readonly error: NoAvailablePoolError | InvalidSpecError };


const names = z.array(z.string()).nullish();
const ippoolSchema = z.object({ ipv4: names, ipv6: names });
const ippoolsSchema = z.array(
  z.object({
    interface: z.string().nullish(),
    ipv4: names,
    ipv6: names,
    cleangateway: z.boolean().nullish(),
  }),
);
const subnetSchema = z.object({ interface: z.string().nullish(), ipv4: names, ipv6: names });
const subnetsSchema = z.array(z.object({ interface: z.string().nullish(), ipv4: names, ipv6: names }));
const stringArray = z.array(z.string());

function families(ipv4: readonly string[] | null | undefined, ipv6: readonly string[] | null | undefined) {
  const out: Array<{ family: IPFamily; pools: readonly string[] }> = [];
  if (ipv4 !== undefined && ipv4 !== null && ipv4.length > 0) out.push({ family: 4, pools: ipv4 });
  if (ipv6 !== undefined && ipv6 !== null && ipv6.length > 0) out.push({ family: 6, pools: ipv6 });
  return out;
}

/** Go `strconv.ParseBool`. */
function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

function parseSubnetTier(input: SelectionInput): readonly SubnetRequest[] {
  const { annotations } = input.pod;
  const numberText = annotations[ANNOTATION_IPPOOL_IP_NUMBER];
  let ipNumber: SubnetRequest['ipNumber'];
  if (numberText !== undefined) {
    const m = /^(\+?)([0-9]+)$/.exec(numberText);
    if (m === null)
      throw wrongAnnotation(ANNOTATION_IPPOOL_IP_NUMBER, `'${numberText}' is not N or +N with N >= 0`);
    ipNumber = { flexible: m[1] === '+', count: Number(m[2]) };
  }
  const reclaimText = annotations[ANNOTATION_IPPOOL_RECLAIM];
  const reclaim = reclaimText === undefined ? true : parseGoBool(reclaimText);
  if (reclaim === undefined) throw wrongAnnotation(ANNOTATION_IPPOOL_RECLAIM, `'${reclaimText}' is not a boolean`);
  const build = (
    nic: string,
    ipv4?: readonly string[] | null,
    ipv6?: readonly string[] | null,
  ): SubnetRequest => {
    const v4 = input.config.enableIPv4 ? ipv4?.[0] : undefined;
    const v6 = input.config.enableIPv6 ? ipv6?.[0] : undefined;
    return {
      nic,
      ...(v4 === undefined ? {} : { ipv4Subnet: v4 }),
      ...(v6 === undefined ? {} : { ipv6Subnet: v6 }),
      ...(ipNumber === undefined ? {} : { ipNumber }),
      reclaim,
    };
  };
  const multi = annotations[ANNOTATION_SUBNETS];
  if (multi !== undefined) {
    const items = parseAnnotationJson(ANNOTATION_SUBNETS, multi, subnetsSchema);
    const seen = new Set<string>();
    const used = { 4: new Set<string>(), 6: new Set<string>() };
    for (const item of items) {
      const nic = item.interface ?? '';
      if (seen.has(nic)) throw wrongAnnotation(ANNOTATION_SUBNETS, `duplicate interface '${nic}'`);
      seen.add(nic);
      const fams = families(item.ipv4, item.ipv6);
      if (fams.length === 0) throw wrongAnnotation(ANNOTATION_SUBNETS, `interface '${nic}' names no subnet`);
      for (const { family, pools } of fams) {
        const subnet = pools[0] as string;
        if (subnet === '') throw wrongAnnotation(ANNOTATION_SUBNETS, 'empty subnet name');
        if (used[family].has(subnet)) throw wrongAnnotation(ANNOTATION_SUBNETS, `subnet '${subnet}' used twice`);
        used[family].add(subnet);
      }
    }
    const mine = items.find((item) => (item.interface ?? '') === input.nic);
    return mine === undefined ? [] : [build(input.nic, mine.ipv4, mine.ipv6)];
  }
  const single = parseAnnotationJson(ANNOTATION_SUBNET, annotations[ANNOTATION_SUBNET] as string, subnetSchema);
  const nic = single.interface ?? 'eth0';
  if (families(single.ipv4, single.ipv6).some((f) => f.pools[0] === '')) {
    throw wrongAnnotation(ANNOTATION_SUBNET, 'empty subnet name');
  }
  return [build(nic, single.ipv4, single.ipv6)];
}

/**
 * The tier that applies and the pool names it requests, per NIC (ipam.md §3.3), before wildcard expansion and
 * filtering. Tier 1 (SpiderSubnet) is not covered here; see `selectCandidatePools`. Throws InvalidSpecError on
 * malformed annotations; returns undefined when no tier applies.
 */
export function preliminaryCandidates(
  input: SelectionInput,
): { tier: SelectionTier; nics: PreliminaryNic[] } | undefined {
  const { annotations } = input.pod;
  const cleanGateway = input.netconf.cleanGateway ?? false;
  const multi = annotations[ANNOTATION_IPPOOLS];
  if (multi !== undefined) {
    const items = parseAnnotationJson(ANNOTATION_IPPOOLS, multi, ippoolsSchema);
    if (items.length === 0) throw wrongAnnotation(ANNOTATION_IPPOOLS, 'the list is empty');
    const named = items.filter(
      (i) => i.interface !== undefined && i.interface !== null && i.interface !== '',
    ).length;
    if (named !== 0 && named !== items.length) {
      throw wrongAnnotation(ANNOTATION_IPPOOLS, 'either every item or no item must name an interface');
    }
    const nics = items.map((item, i) => ({
      nic: named === 0 ? String(i) : (item.interface as string),
      cleanGateway: item.cleangateway ?? false,
      families: families(item.ipv4, item.ipv6),
    }));
    if (new Set(nics.map((n) => n.nic)).size !== nics.length)
      throw wrongAnnotation(ANNOTATION_IPPOOLS, 'duplicate interface');
    if (named !== 0 && !nics.some((n) => n.nic === input.nic)) {
      throw wrongAnnotation(ANNOTATION_IPPOOLS, `interface ${input.nic} is not in the annotation`);
    }
    return { tier: 'ippools', nics };
  }
  const single = annotations[ANNOTATION_IPPOOL];
  if (single !== undefined) {
    const item = parseAnnotationJson(ANNOTATION_IPPOOL, single, ippoolSchema);
    return {
      tier: 'ippool',
      nics: [{ nic: input.nic, cleanGateway, families: families(item.ipv4, item.ipv6) }],
    };
  }
  const nsAnnotations = input.namespace?.annotations ?? {};
  const nsV4 = nsAnnotations[ANNOTATION_NS_DEFAULT_IPV4_IPPOOL];
  const nsV6 = nsAnnotations[ANNOTATION_NS_DEFAULT_IPV6_IPPOOL];
  const v4 = nsV4 === undefined ? [] : parseNamespaceList(ANNOTATION_NS_DEFAULT_IPV4_IPPOOL, nsV4);
  const v6 = nsV6 === undefined ? [] : parseNamespaceList(ANNOTATION_NS_DEFAULT_IPV6_IPPOOL, nsV6);
  if (v4.length > 0 || v6.length > 0) {
    return { tier: 'namespace', nics: [{ nic: input.nic, cleanGateway, families: families(v4, v6) }] };
  }
  const cv4 = input.netconf.defaultIPv4IPPool ?? [];
  const cv6 = input.netconf.defaultIPv6IPPool ?? [];
  if (cv4.length > 0 || cv6.length > 0) {
    return { tier: 'netconf', nics: [{ nic: input.nic, cleanGateway, families: families(cv4, cv6) }] };
  }
  const defaults = (family: IPFamily): string[] =>
    input.pools
      .filter((p) => p.spec.default === true && p.spec.ipVersion === family)
      .map((p) => p.metadata.name);
  const d4 = defaults(4);
  const d6 = defaults(6);
  if (d4.length > 0 || d6.length > 0) {
    return { tier: 'cluster-default', nics: [{ nic: input.nic, cleanGateway, families: families(d4, d6) }] };
  }
  return undefined;
}

function parseNamespaceList(key: string, text: string): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = stringArray.safeParse(raw);
  if (!parsed.success) throw wrongAnnotation(key, 'must be a JSON array of pool names', 'Namespace');
  return parsed.data;
}

/** Replaces each wildcard in place by the matching pools of the family (list order), skipping names already listed. */
function expandWildcards(
  requested: readonly string[],
  family: IPFamily,
  pools: readonly SpiderIPPoolView[],
): string[] {
  if (!requested.some(isPoolNamePattern)) return [...requested];
  const literal = new Set(requested.filter((n) => !isPoolNamePattern(n)));
  const out: string[] = [];
  const emitted = new Set<string>();
  for (const name of requested) {
    if (!isPoolNamePattern(name)) {
      out.push(name);
      emitted.add(name);
      continue;
    }
    for (const pool of pools) {
      const poolName = pool.metadata.name;
      if (pool.spec.ipVersion !== family || literal.has(poolName) || emitted.has(poolName)) continue;
      if (matchPoolNamePattern(name, poolName)) {
        out.push(poolName);
        emitted.add(poolName);
      }
    }
  }
  return out;
}

const nonEmpty = (list: readonly string[] | null | undefined): list is readonly string[] =>
  list !== undefined && list !== null && list.length > 0;
const hasSelector = (s: LabelSelector | null | undefined): s is LabelSelector =>
  s !== undefined && s !== null;

function safeMatches(selector: LabelSelector, labels: Labels): boolean {
  try {
    return selectorMatches(selector, labels);
  } catch (error) {
    if (error instanceof InvalidSpecError) return false;
    throw error;
  }
}

/**
 * The filter of ipam.md §3.4, in upstream's rule order. Returns why the pool is rejected, or undefined when it may
 * be used for (NIC, family).
 */
export function rejectPool(
  pool: SpiderIPPoolView,
  family: IPFamily,
  nic: string,
  input: SelectionInput,
): PoolRejection | undefined {
  const name = pool.metadata.name;
  const spec = pool.spec;
  const reject = (reason: PoolRejection['reason'], detail: string): PoolRejection => ({
    pool: name,
    reason,
    detail,
  });
  if (pool.metadata.deletionTimestamp !== undefined && pool.metadata.deletionTimestamp !== null) {
    return reject('Terminating', `terminating IPPool ${name}`);
  }
  if (spec.disable === true) return reject('Disabled', `disabled IPPool ${name}`);
  if (spec.ipVersion !== family) {
    return reject(
      'IPVersionMismatch',
      `IPPool ${name} has ipVersion ${String(spec.ipVersion)}, want ${family}`,
    );
  }
  if (nonEmpty(spec.nodeName)) {
    if (!spec.nodeName.includes(input.pod.nodeName))
      return reject('NodeNotMatched', `unmatched Node name of IPPool ${name}`);
  } else if (hasSelector(spec.nodeAffinity)) {
    if (input.node === undefined || !safeMatches(spec.nodeAffinity, input.node.labels)) {
      return reject('NodeNotMatched', `unmatched Node affinity of IPPool ${name}`);
    }
  }
  if (nonEmpty(spec.namespaceName)) {
    if (!spec.namespaceName.includes(input.pod.namespace)) {
      return reject('NamespaceNotMatched', `unmatched Namespace name of IPPool ${name}`);
    }
  } else if (hasSelector(spec.namespaceAffinity)) {
    if (input.namespace === undefined || !safeMatches(spec.namespaceAffinity, input.namespace.labels)) {
      return reject('NamespaceNotMatched', `unmatched Namespace affinity of IPPool ${name}`);
    }
  }
  if (hasSelector(spec.podAffinity)) {
    const isAuto = pool.metadata.labels?.[LABEL_OWNER_APPLICATION_NAME] !== undefined;
    if (isAuto) {
      const top = input.topController;
      const { group, version } = splitApiVersion(top.apiVersion);
      const want: Labels = {
        [LABEL_APP_API_GROUP]: group,
        [LABEL_APP_API_VERSION]: version,
        [LABEL_APP_KIND]: top.kind,
        [LABEL_APP_NAMESPACE]: top.namespace,
        [LABEL_APP_NAME]: top.name,
      };
      const labels = spec.podAffinity.matchLabels ?? {};
      const ok = Object.entries(want).every(([k, v]) => labels[k] === v);
      if (!ok) return reject('PodNotMatched', `unmatched Pod affinity of auto-created IPPool ${name}`);
      // An auto pool dedicated to this application is accepted without the Multus checks (upstream behaviour).
      return undefined;
    }
    if (!safeMatches(spec.podAffinity, input.pod.labels))
      return reject('PodNotMatched', `unmatched Pod affinity of IPPool ${name}`);
  }
  if (nonEmpty(spec.multusName)) {
    const resolved = resolveNicNetwork({
      nic,
      podNamespace: input.pod.namespace,
      annotations: input.pod.annotations,
      agentNamespace: input.config.agentNamespace,
      clusterNetwork: input.config.clusterNetwork,
    });
    if (resolved.kind === 'unresolved') return reject(resolved.reason, `${resolved.detail} (IPPool ${name})`);
    const allowed = spec.multusName.map((m) => (m.includes('/') ? m : `${input.config.agentNamespace}/${m}`));
    if (!allowed.includes(resolved.network)) {
      return reject(
        'MultusNotMatched',
        `the spec.multusName of IPPool ${name} does not match network ${resolved.network} of NIC ${nic}`,
      );
    }
  }
  if (input.netconf.matchMasterSubnet === true) {
    const cidr = tryParseCIDR(spec.subnet, family);
    const inside =
      cidr !== undefined &&
      (input.masterAddresses?.get(nic) ?? []).some((a) => {
        const ip = tryParseIP(a.split('/')[0] as string);
        return ip !== undefined && cidrContains(cidr, ip);
      });
    if (!inside)
      return reject(
        'MasterSubnetNotMatched',
        `no address of the master interface of ${nic} is inside ${spec.subnet} (IPPool ${name})`,
      );
  }
  return undefined;
}

/** Selection priority (ipam.md §3.5): having each property beats lacking it, in this order. */
function priority(pool: SpiderIPPoolView): number[] {
  const s = pool.spec;
  return [
    hasSelector(s.podAffinity),
    nonEmpty(s.nodeName),
    hasSelector(s.nodeAffinity),
    nonEmpty(s.namespaceName),
    hasSelector(s.namespaceAffinity),
    nonEmpty(s.multusName),
  ].map((b) => (b ? 0 : 1));
}

function comparePriority(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Pre-checks, filters and orders the pools of one (NIC, family): a duplicate name is wrong input; a missing pool
 * is a rejection (`NotFound`); the stable sort keeps the user's order among equally ranked pools.
 */
export function filterCandidatePools(
  input: SelectionInput,
  nic: string,
  family: IPFamily,
  requested: readonly string[],
  poolsByName: ReadonlyMap<string, SpiderIPPoolView>,
): FamilyCandidate {
  const seen = new Set<string>();
  for (const name of requested) {
    if (seen.has(name))
      throw wrongAnnotation(ANNOTATION_IPPOOLS, `duplicate IPPool ${name} specified for NIC ${nic}`);
    seen.add(name);
  }
  const rejections: PoolRejection[] = [];
  const accepted: SpiderIPPoolView[] = [];
  for (const name of requested) {
    const pool = poolsByName.get(name);
    if (pool === undefined) {
      rejections.push({ pool: name, reason: 'NotFound', detail: `IPPool ${name} does not exist` });
      continue;
    }
    const rejection = rejectPool(pool, family, nic, input);
    if (rejection === undefined) accepted.push(pool);
    else rejections.push(rejection);
  }
  const ranked = accepted.map((pool, index) => ({ pool, index, key: priority(pool) }));
  ranked.sort((a, b) => comparePriority(a.key, b.key) || a.index - b.index);
  return { family, requested, pools: ranked.map((r) => r.pool), rejections };
}

/**
 * Candidate pools of every NIC served by this CNI call (ipam.md §3): the first applicable tier wins, wildcards are
 * expanded, disabled families dropped, each pool filtered (with a machine-readable reason per rejected pool) and
 * the survivors ordered. A (NIC, family) with no surviving pool fails with NoAvailablePoolError.
 */
export function selectCandidatePools(input: SelectionInput): SelectionOutcome {
  try {
    const { annotations } = input.pod;
    const hasSubnetAnnotation =
      annotations[ANNOTATION_SUBNETS] !== undefined || annotations[ANNOTATION_SUBNET] !== undefined;
    if (input.config.enableSpiderSubnet && hasSubnetAnnotation) {
      if (!input.config.enableAutoPoolForApplication) {
        throw wrongAnnotation(
          ANNOTATION_SUBNET,
          'subnet annotations are invalid when the auto-pool feature is disabled',
        );
      }
      if (!input.pod.hasController) {
        throw wrongAnnotation(
          ANNOTATION_SUBNET,
          "the SpiderSubnet feature doesn't support a Pod without a controller",
        );
      }
      return { kind: 'subnet', requests: parseSubnetTier(input) };
    }
    const prelim = preliminaryCandidates(input);
    if (prelim === undefined) {
      return {
        kind: 'failed',
        error: new NoAvailablePoolError(
          'no IPPool available: no pool selection rules of any type are specified',
          [],
        ),
      };
    }
    const byName = new Map(input.pools.map((p) => [p.metadata.name, p]));
    const enabled = (f: IPFamily): boolean => (f === 4 ? input.config.enableIPv4 : input.config.enableIPv6);
    const nics: NicCandidates[] = [];
    for (const nic of prelim.nics) {
      const fams: FamilyCandidate[] = [];
      for (const { family, pools } of nic.families) {
        if (!enabled(family)) continue;
        const expanded = expandWildcards(pools, family, input.pools);
        if (expanded.length === 0) continue;
        const candidate = filterCandidatePools(input, nic.nic, family, expanded, byName);
        if (candidate.pools.length === 0) {
          const detail = candidate.rejections.map((r) => r.detail).join('; ');
          return {
            kind: 'failed',
            error: new NoAvailablePoolError(
              `no IPPool available: all IPv${family} IPPools [${expanded.join(' ')}] of ${nic.nic} filtered out: ${detail}`,
              candidate.rejections,
            ),
          };
        }
        fams.push(candidate);
      }
      nics.push({ nic: nic.nic, cleanGateway: nic.cleanGateway, families: fams });
    }
    return { kind: 'pools', tier: prelim.tier, nics };
  } catch (error) {
    if (error instanceof InvalidSpecError) return { kind: 'failed', error };
    throw error;
  }
}
