import type { V1Pod } from '@kubernetes/client-node';
import {
  IPSet,
  isPoolNamePattern,
  matchPoolNamePattern,
  parseAllocatedIPs,
  preliminaryCandidates,
  rejectPool,
  selectCandidatePools,
  tryTotalIPs,
  type IPFamily,
  type PoolRejection,
  type SelectionConfig,
  type SelectionInput,
  type SpiderIPPoolView,
  type SubnetRequest,
} from '@spiderpool/ipam-core';
import type { SpiderReservedIP } from '@spiderpool/crd-types';
import { parse as parseYaml } from 'yaml';
import type { ClusterPort, StoredPool } from '../cluster/cluster.port.js';
import { NotFoundError } from '../errors.js';

export interface ExplainOptions {
  readonly namespace: string;
  readonly pod: string;
  /** The NIC of the CNI call (default eth0). */
  readonly nic: string;
  /** `ipam.default_ipv4_ippool` / `default_ipv6_ippool` of the CNI network config (not readable from the API). */
  readonly netconfIPv4: readonly string[];
  readonly netconfIPv6: readonly string[];
  /** `MULTUS_CLUSTER_NETWORK` of the agent, when known. */
  readonly clusterNetwork: string | undefined;
  /** Namespace of ConfigMap `spiderpool-conf` (family and feature switches). */
  readonly spiderpoolNamespace: string;
}

export interface PoolLine {
  readonly pool: string;
  /** Free IPs (total − allocated − reserved), undefined when the pool does not exist or its ranges are broken. */
  readonly freeIPs: string | undefined;
}

export interface RejectedPoolLine extends PoolLine {
  readonly reason: PoolRejection['reason'];
  readonly detail: string;
}

export interface FamilyExplanation {
  readonly family: IPFamily;
  readonly requested: readonly string[];
  readonly candidates: readonly PoolLine[];
  readonly rejected: readonly RejectedPoolLine[];
}

export interface Explanation {
  readonly pod: string;
  readonly node: string;
  readonly tier: string;
  /** Verdict of the full selection for the CNI call on `nic`: ok, or the error the agent would return. */
  readonly verdict: { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };
  readonly nics: ReadonlyArray<{ readonly nic: string; readonly families: readonly FamilyExplanation[] }>;
  readonly subnetRequests?: readonly SubnetRequest[];
}

const labelsOf = (o: { metadata?: { labels?: Record<string, string> } } | undefined) => o?.metadata?.labels ?? {};
const annotationsOf = (o: { metadata?: { annotations?: Record<string, string> } } | undefined) =>
  o?.metadata?.annotations ?? {};

/** Family and feature switches from `conf.yml` of ConfigMap `spiderpool-conf` (defaults when absent). */
export function selectionSwitches(confYml: string | undefined): Omit<SelectionConfig, 'agentNamespace' | 'clusterNetwork'> {
  const conf = (confYml === undefined ? {} : ((parseYaml(confYml) as Record<string, unknown> | null) ?? {}));
  const flag = (key: string): boolean => (typeof conf[key] === 'boolean' ? (conf[key] as boolean) : true);
  return {
    enableIPv4: flag('enableIPv4'),
    enableIPv6: flag('enableIPv6'),
    enableSpiderSubnet: flag('enableSpiderSubnet'),
    enableAutoPoolForApplication: flag('enableAutoPoolForApplication'),
  };
}

function topControllerOf(pod: V1Pod) {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller === true);
  const namespace = pod.metadata?.namespace ?? '';
  return owner === undefined
    ? { apiVersion: 'v1', kind: 'Pod', namespace, name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' }
    : { apiVersion: owner.apiVersion, kind: owner.kind, namespace, name: owner.name, uid: owner.uid };
}

/** Free IPs of a pool: `ips − excludeIPs − allocated − reserved`. */
export function freeIPCount(pool: SpiderIPPoolView, reserved: readonly SpiderReservedIP[]): bigint | undefined {
  const family = pool.spec.ipVersion;
  if (family !== 4 && family !== 6) return undefined;
  const total = tryTotalIPs(pool.spec, family);
  if (total === undefined) return undefined;
  let used: IPSet;
  try {
    used = IPSet.fromRanges(family, [...parseAllocatedIPs(pool.status?.allocatedIPs).keys()]);
  } catch {
    return undefined;
  }
  for (const r of reserved) {
    if (r.metadata.deletionTimestamp) continue;
    if (r.spec.ipVersion !== undefined && r.spec.ipVersion !== family) continue;
    try {
      used = used.union(IPSet.fromRanges(family, r.spec.ips ?? []));
    } catch {
      // an entry of the other family without ipVersion
    }
  }
  return total.subtract(used).size;
}

/** A human reason for a rejection, naming the values that did not match. */
export function rejectionText(
  r: PoolRejection,
  pool: SpiderIPPoolView | undefined,
  family: IPFamily,
  input: SelectionInput,
): string {
  const spec = pool?.spec;
  const list = (xs: readonly string[]) => `[${xs.join(' ')}]`;
  switch (r.reason) {
    case 'NodeNotMatched':
      if (spec?.nodeName && spec.nodeName.length > 0)
        return `nodeName ${list(spec.nodeName)} does not include ${input.pod.nodeName}`;
      return input.node === undefined
        ? `node ${input.pod.nodeName} could not be read, nodeAffinity cannot match`
        : `nodeAffinity does not match the labels of node ${input.pod.nodeName}`;
    case 'NamespaceNotMatched':
      if (spec?.namespaceName && spec.namespaceName.length > 0)
        return `namespaceName ${list(spec.namespaceName)} does not include ${input.pod.namespace}`;
      return `namespaceAffinity does not match the labels of namespace ${input.pod.namespace}`;
    case 'PodNotMatched':
      return `podAffinity does not match the labels of pod ${input.pod.namespace}/${input.pod.name}`;
    case 'IPVersionMismatch':
      return `ipVersion ${String(spec?.ipVersion)}, requested for IPv${family}`;
    default:
      return r.detail;
  }
}

/** Names requested for a family with wildcards expanded against the pools of that family (list order). */
function expand(requested: readonly string[], family: IPFamily, pools: readonly SpiderIPPoolView[]): string[] {
  const literal = new Set(requested.filter((n) => !isPoolNamePattern(n)));
  const out: string[] = [];
  for (const name of requested) {
    if (!isPoolNamePattern(name)) {
      if (!out.includes(name)) out.push(name);
      continue;
    }
    for (const pool of pools) {
      const n = pool.metadata.name;
      if (pool.spec.ipVersion === family && !literal.has(n) && !out.includes(n) && matchPoolNamePattern(name, n))
        out.push(n);
    }
  }
  return out;
}

/** Reads what the agent would read for the pod and explains ipam-core's candidate selection. */
export async function explainPod(cluster: ClusterPort, options: ExplainOptions): Promise<Explanation> {
  const pod = await cluster.getPod(options.namespace, options.pod);
  if (pod === undefined) throw new NotFoundError(`pod ${options.namespace}/${options.pod}`);
  const nodeName = pod.spec?.nodeName ?? '';
  const [ns, node, pools, reserved, conf] = await Promise.all([
    cluster.getNamespace(options.namespace),
    nodeName === '' ? Promise.resolve(undefined) : cluster.getNode(nodeName),
    cluster.listPools(),
    cluster.listReservedIPs(),
    cluster.getConfigMap(options.spiderpoolNamespace, 'spiderpool-conf'),
  ]);
  const input: SelectionInput = {
    pod: {
      namespace: options.namespace,
      name: options.pod,
      uid: pod.metadata?.uid ?? '',
      labels: labelsOf(pod),
      annotations: annotationsOf(pod),
      nodeName,
      hasController: pod.metadata?.ownerReferences?.some((o) => o.controller === true) ?? false,
    },
    topController: topControllerOf(pod),
    nic: options.nic,
    namespace: ns === undefined ? undefined : { labels: labelsOf(ns), annotations: annotationsOf(ns) },
    node: node === undefined ? undefined : { labels: labelsOf(node) },
    netconf: {
      ...(options.netconfIPv4.length > 0 ? { defaultIPv4IPPool: options.netconfIPv4 } : {}),
      ...(options.netconfIPv6.length > 0 ? { defaultIPv6IPPool: options.netconfIPv6 } : {}),
    },
    config: {
      ...selectionSwitches(conf?.data?.['conf.yml']),
      agentNamespace: options.spiderpoolNamespace,
      clusterNetwork: options.clusterNetwork,
    },
    pools: pools as readonly StoredPool[] as readonly SpiderIPPoolView[],
  };
  const outcome = selectCandidatePools(input);
  const verdict: Explanation['verdict'] =
    outcome.kind === 'failed'
      ? { ok: false, code: outcome.error.code, message: outcome.error.message }
      : { ok: true };
  const base = { pod: `${options.namespace}/${options.pod}`, node: nodeName, verdict };
  if (outcome.kind === 'subnet') return { ...base, tier: 'subnet', nics: [], subnetRequests: outcome.requests };
  let prelim: ReturnType<typeof preliminaryCandidates>;
  try {
    prelim = preliminaryCandidates(input);
  } catch {
    prelim = undefined; // the malformed annotation is already the verdict
  }
  if (prelim === undefined) return { ...base, tier: outcome.kind === 'pools' ? outcome.tier : 'none', nics: [] };
  const byName = new Map(input.pools.map((p) => [p.metadata.name, p]));
  const free = (name: string): string | undefined => {
    const p = byName.get(name);
    return p === undefined ? undefined : freeIPCount(p, reserved)?.toString();
  };
  const enabled = (f: IPFamily) => (f === 4 ? input.config.enableIPv4 : input.config.enableIPv6);
  const nics = prelim.nics.map((n) => ({
    nic: n.nic,
    families: n.families
      .filter((f) => enabled(f.family))
      .map((f): FamilyExplanation => {
        const requested = expand(f.pools, f.family, input.pools);
        const candidates: PoolLine[] = [];
        const rejected: RejectedPoolLine[] = [];
        const seen = new Set<string>();
        for (const name of requested) {
          const pool = byName.get(name);
          const rejection: PoolRejection | undefined = seen.has(name)
            ? { pool: name, reason: 'NotFound', detail: `IPPool ${name} listed twice` }
            : pool === undefined
              ? { pool: name, reason: 'NotFound', detail: `IPPool ${name} does not exist` }
              : rejectPool(pool, f.family, n.nic, input);
          seen.add(name);
          if (rejection === undefined) candidates.push({ pool: name, freeIPs: free(name) });
          else
            rejected.push({
              pool: name,
              reason: rejection.reason,
              detail: rejectionText(rejection, pool, f.family, input),
              freeIPs: free(name),
            });
        }
        // The order the agent tries them in: ipam-core's ranking, when the selection succeeded for this NIC.
        const ranked =
          outcome.kind === 'pools'
            ? outcome.nics.find((x) => x.nic === n.nic)?.families.find((x) => x.family === f.family)?.pools
            : undefined;
        const ordered =
          ranked === undefined
            ? candidates
            : ranked.map((p) => candidates.find((c) => c.pool === p.metadata.name) ?? { pool: p.metadata.name, freeIPs: free(p.metadata.name) });
        return { family: f.family, requested, candidates: ordered, rejected };
      }),
  }));
  return { ...base, tier: prelim.tier, nics };
}

/** The text rendering of an explanation, one fact per line. */
export function formatExplanation(e: Explanation): string[] {
  const lines = [`pod ${e.pod} on node ${e.node === '' ? '(unscheduled)' : e.node}`, `tier: ${e.tier}`];
  for (const r of e.subnetRequests ?? []) {
    lines.push(
      `nic ${r.nic}: SpiderSubnet auto pool (ipv4 subnet ${r.ipv4Subnet ?? '-'}, ipv6 subnet ${r.ipv6Subnet ?? '-'})`,
    );
  }
  for (const nic of e.nics) {
    for (const f of nic.families) {
      lines.push(`nic ${nic.nic} IPv${f.family}: requested [${f.requested.join(' ')}]`);
      f.candidates.forEach((c, i) => lines.push(`  candidate ${i + 1}: ${c.pool} (free ${c.freeIPs ?? '?'})`));
      for (const r of f.rejected)
        lines.push(`  rejected: ${r.pool}: ${r.reason} (${r.detail})${r.freeIPs === undefined ? '' : ` free ${r.freeIPs}`}`);
    }
  }
  lines.push(e.verdict.ok ? 'verdict: ok' : `verdict: ${e.verdict.code}: ${e.verdict.message}`);
  return lines;
}
