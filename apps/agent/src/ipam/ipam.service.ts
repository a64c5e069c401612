import type {
  IpamAddArgs,
  IpamAddResponse,
  IpamBatchDelArgs,
  IpamDelArgs,
  WorkloadEndpointQuery,
  WorkloadEndpointStatus,
} from '@spiderpool/agent-api';
import {
  ANNOTATION_ROUTES,
  RoutesAnnotationSchema,
  type IPAllocationDetail,
  type SpiderEndpoint,
} from '@spiderpool/crd-types';
import {
  filterCandidatePools,
  InvalidSpecError,
  IPExhaustedError,
  isPoolNamePattern,
  matchPoolNamePattern,
  NoAvailablePoolError,
  preliminaryCandidates,
  ResourceVersionConflictError,
  selectCandidatePools,
  type FamilyCandidate,
  type IPFamily,
  type NicCandidates,
  type PoolRejection,
  type SelectionInput,
  type SubnetRequest,
  type TopController,
} from '@spiderpool/ipam-core';
import { isNotFound } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import type { AgentConfig } from '../config/schema.js';
import type { ClusterApi, ClusterCache, PodView } from '../cluster/cluster.port.js';
import { endpointIPs, type EndpointManager } from '../endpoint/endpoint.manager.js';
import {
  AgentError,
  EndpointNotFoundError,
  EndpointUidMismatchError,
  NotReadyError,
  PodNotAliveError,
  PodNotFoundError,
  ReleaseForbiddenStatefulError,
  ReleaseForbiddenStatelessError,
} from '../errors.js';
import type { IPPoolManager, PoolAllocation } from '../ippool/ippool.manager.js';
import { AGENT_LOG_FIELDS as F } from '../observability/log-fields.js';
import type { AutoPoolFinder } from './auto-pool.finder.js';
import { toAddResponse, toEndpointEntries, type NicAllocation } from './ipam-response.js';
import type { PodEventPort } from './pod-event.port.js';
import { controllingVmi, isMigrationTarget, isValidVm, isVmiTop } from './kubevirt-validity.js';
import { isPodAlive, resolveTopController, statefulSetOrdinal } from './top-controller.js';

export interface IpamServiceDeps {
  readonly config: AgentConfig;
  readonly cache: ClusterCache;
  readonly api: ClusterApi;
  readonly pools: IPPoolManager;
  readonly endpoints: EndpointManager;
  readonly autoPools: AutoPoolFinder;
  readonly events: PodEventPort;
  readonly logger: Logger;
}

type Route = { dst: string; gw: string };
/**
 * Where a pod's allocation is recorded: the endpoint name and the pool-record key (`namespace/<name>`). The pod name
 * for ordinary pods and StatefulSets; the VMI name in KubeVirt static mode (ipam.md §8.2).
 */
interface Holder {
  readonly name: string;
  readonly key: string;
  /** StatefulSet or KubeVirt: the endpoint outlives the pod (no Pod ownerReference). */
  readonly fixed: boolean;
  readonly kubevirt: boolean;
}
type Taken = PoolAllocation & { readonly subnet: string; readonly routes: readonly Route[] };

const ipOf = (address: string | undefined): string | undefined =>
  address ? address.split('/')[0] : undefined;
const hasNic = (ep: SpiderEndpoint | undefined, nic: string): boolean =>
  endpointIPs(ep).some((e) => e.interface === nic || e.interface === '');

/** Event reason for a failed ADD (house style §19): what the user sees on `kubectl describe pod`. */
export function failureReason(err: unknown): string {
  if (err instanceof NoAvailablePoolError) {
    const r = err.rejections;
    return r.length > 0 && r.every((x) => x.reason === 'Disabled') ? 'IPPoolDisabled' : 'NoAvailablePool';
  }
  if (err instanceof IPExhaustedError) return 'IPExhausted';
  if (err instanceof ResourceVersionConflictError) return 'RetriesExhausted';
  if (err instanceof InvalidSpecError) return 'InvalidAnnotation';
  if (err instanceof AgentError) return err.code;
  return 'AllocationFailed';
}

/**
 * Allocation and release orchestration (ipam.md §4, §5): reads from the caches, decisions in ipam-core, pool
 * writes through the IPPoolManager's batcher, the SpiderEndpoint through the EndpointManager. A failed ADD releases
 * whatever it took, so an error response leaves nothing new allocated.
 */
export class IpamService {
  private readonly log: Logger;

  constructor(private readonly deps: IpamServiceDeps) {
    this.log = deps.logger;
  }

  // ---------------------------------------------------------------- ADD

  async allocate(args: IpamAddArgs): Promise<IpamAddResponse> {
    this.assertReady();
    const { podNamespace: ns, podName: name } = args;
    const pod = this.deps.cache.pod(ns, name) ?? (await this.deps.api.readPod(ns, name));
    if (pod === undefined) throw new PodNotFoundError(`failed to get Pod ${ns}/${name}: not found`);
    try {
      if (!isPodAlive(pod))
        throw new PodNotAliveError(`dead Pod ${ns}/${name}, no IP address is allocated to it`);
      return await this.allocateFor(pod, args);
    } catch (err) {
      if (!(err instanceof PodNotAliveError)) {
        void this.deps.events.record(pod, {
          type: 'Warning',
          reason: failureReason(err),
          note: `IP allocation for NIC ${args.ifName} failed: ${(err as Error).message}`,
        });
      }
      throw err;
    }
  }

  private async allocateFor(pod: PodView, args: IpamAddArgs): Promise<IpamAddResponse> {
    const { namespace: ns, name, uid } = pod.metadata;
    const nic = args.ifName;
    const top = await resolveTopController(pod, this.deps.api);
    const statefulSet = this.isStatefulSet(top);
    const kubevirt = this.isKubevirt(top);
    const holderName = kubevirt ? top.name : name;
    const holder: Holder = {
      name: holderName,
      key: `${ns}/${holderName}`,
      fixed: statefulSet || kubevirt,
      kubevirt,
    };
    const input = this.selectionInput(pod, top, args);
    let ep = this.deps.endpoints.cached(ns, holder.name);
    if (ep?.metadata.deletionTimestamp) ep = undefined;
    if (ep !== undefined && kubevirt) {
      if (hasNic(ep, nic)) return this.retrieveStatic(pod, holder, ep, nic);
    } else if (ep !== undefined && statefulSet) {
      const released = await this.releaseOutdatedStatefulSetIPs(ep, input, nic);
      if (released) ep = await this.deps.endpoints.live(ns, name);
      else if (hasNic(ep, nic)) return this.retrieveStatic(pod, holder, ep, nic);
    } else if (ep !== undefined && ep.status?.current.uid !== uid) {
      // The pod was re-created under the same name: the old endpoint goes, its pool records are left to GC.
      this.log.info(
        { [F.namespace]: ns, [F.name]: name },
        'deleting SpiderEndpoint of a previous pod incarnation',
      );
      await this.deps.endpoints.retire(ns, name, { delete: true });
      ep = undefined;
    } else if (ep !== undefined && hasNic(ep, nic)) {
      const claim = endpointIPs(ep).some((e) => e.interface === nic) ? undefined : nic;
      const entries =
        claim === undefined
          ? endpointIPs(ep)
          : await this.deps.endpoints.refresh(ns, name, {
              uid,
              node: pod.spec?.nodeName ?? '',
              claimNic: claim,
            });
      return toAddResponse(entries, this.deps.config);
    }
    if (ep !== undefined && ep.status?.current.uid !== uid) ep = undefined;
    return this.allocateStandard(pod, top, input, ep, holder);
  }

  private async allocateStandard(
    pod: PodView,
    top: TopController,
    input: SelectionInput,
    ep: SpiderEndpoint | undefined,
    holder: Holder,
  ): Promise<IpamAddResponse> {
    const customRoutes = parseRoutes(pod);
    const selection = selectCandidatePools(input);
    if (selection.kind === 'failed') throw selection.error;
    let nics: NicCandidates[];
    let noName = false;
    if (selection.kind === 'subnet') nics = await this.autoPoolCandidates(selection.requests, input);
    else {
      nics = [...selection.nics];
      noName = selection.tier === 'ippools' && nics.every((n) => /^[0-9]+$/.test(n.nic));
    }
    const existing = endpointIPs(ep);
    const present = new Set(existing.map((e) => e.interface));
    if (noName) {
      if (existing.length > 0) nics = [];
    } else nics = nics.filter((n) => !present.has(n.nic));
    const held = existing
      .flatMap((e) => [ipOf(e.ipv4), ipOf(e.ipv6)])
      .filter((x): x is string => x !== undefined);
    const taken: Taken[] = [];
    try {
      const done: NicAllocation[] = [];
      for (const [index, candidate] of nics.entries()) {
        const outcomes = await Promise.allSettled(
          candidate.families.map((f) => this.allocateFamily(pod, holder, candidate.nic, f, [...held])),
        );
        const results: Taken[] = [];
        for (const o of outcomes) if (o.status === 'fulfilled') results.push(o.value);
        taken.push(...results);
        const failed = outcomes.find((o) => o.status === 'rejected');
        if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
        held.push(...results.map((r) => r.ip));
        const stored = noName ? (index === 0 ? 'eth0' : '') : candidate.nic;
        done.push({ nic: stored, cleanGateway: candidate.cleanGateway, results });
      }
      const { entries, unmatchedRoutes } = toEndpointEntries(done, customRoutes);
      if (unmatchedRoutes.length > 0) {
        this.log.warn(
          { [F.namespace]: pod.metadata.namespace, [F.name]: pod.metadata.name, routes: unmatchedRoutes },
          'custom routes match no allocated subnet; dropped',
        );
      }
      const all = await this.deps.endpoints.record({
        pod,
        top,
        name: holder.name,
        ownedByPod: !holder.fixed,
        entries,
      });
      return toAddResponse(all, await this.detectionFlags(pod, holder));
    } catch (err) {
      await this.rollback(pod, taken);
      throw err;
    }
  }

  /** Tries the pools of one (NIC, family) in order; the first that yields an IP wins (ipam.md §4.3 step 4). */
  private async allocateFamily(
    pod: PodView,
    holder: Holder,
    nic: string,
    candidate: FamilyCandidate,
    held: string[],
  ): Promise<Taken> {
    const { uid } = pod.metadata;
    const rejections: PoolRejection[] = [];
    for (const pool of candidate.pools) {
      try {
        const r = await this.deps.pools.allocate(pool.metadata.name, {
          podKey: holder.key,
          podUid: uid,
          nic,
          heldByOtherNics: held,
        });
        return { ...r, subnet: pool.spec.subnet, routes: pool.spec.routes ?? [] };
      } catch (err) {
        if (!(err instanceof IPExhaustedError)) throw err;
        rejections.push(...err.rejections);
      }
    }
    const names = candidate.pools.map((p) => p.metadata.name).join(' ');
    throw new IPExhaustedError(
      `failed to allocate any IPv${candidate.family} IP address to NIC ${nic} from IPPools [${names}]: ${rejections
        .map((r) => r.detail)
        .join('; ')}`,
      rejections,
    );
  }

  private async rollback(pod: PodView, taken: readonly Taken[]): Promise<void> {
    const fresh = taken.filter((t) => t.pick === 'allocated');
    const outcomes = await Promise.allSettled(
      fresh.map((t) => this.deps.pools.release(t.pool, t.ip, pod.metadata.uid, 'allocate')),
    );
    outcomes.forEach((o, i) => {
      if (o.status === 'rejected') {
        this.log.warn(
          { [F.pool]: fresh[i]?.pool, [F.ip]: fresh[i]?.ip, [F.err]: o.reason },
          'rollback of a partial allocation failed; left to GC',
        );
      }
    });
  }

  private async autoPoolCandidates(
    requests: readonly SubnetRequest[],
    input: SelectionInput,
  ): Promise<NicCandidates[]> {
    const out: NicCandidates[] = [];
    for (const request of requests) {
      const wanted: Array<[IPFamily, string]> = [];
      if (request.ipv4Subnet !== undefined) wanted.push([4, request.ipv4Subnet]);
      if (request.ipv6Subnet !== undefined) wanted.push([6, request.ipv6Subnet]);
      const families = await Promise.all(
        wanted.map(async ([family, subnet]) => {
          const pool = await this.deps.autoPools.find(input.topController, request, family, subnet);
          const name = pool.metadata.name;
          const fc = filterCandidatePools(input, request.nic, family, [name], new Map([[name, pool]]));
          if (fc.pools.length === 0) {
            throw new NoAvailablePoolError(
              `no IPPool available: auto-created IPPool ${name} of ${request.nic} filtered out: ${fc.rejections.map((r) => r.detail).join('; ')}`,
              fc.rejections,
            );
          }
          return fc;
        }),
      );
      out.push({ nic: request.nic, cleanGateway: input.netconf.cleanGateway ?? false, families });
    }
    return out;
  }

  // ---------------------------------------------------------------- StatefulSet (ipam.md §8.1)

  private isStatefulSet(top: TopController): boolean {
    return this.deps.config.enableStatefulSet && top.apiVersion === 'apps/v1' && top.kind === 'StatefulSet';
  }

  private isKubevirt(top: TopController): boolean {
    return this.deps.config.enableKubevirtStaticIP && isVmiTop(top);
  }

  /**
   * Detection flags of the response: IP-conflict detection is off for a KubeVirt live-migration target whose
   * VirtualMachineInstanceMigration exists, since the source pod still answers for the IP (ipam.md §8.2).
   */
  private async detectionFlags(
    pod: PodView,
    holder: Holder,
  ): Promise<{ enableIPConflictDetection: boolean; enableGatewayDetection: boolean }> {
    const { enableIPConflictDetection, enableGatewayDetection } = this.deps.config;
    if (!enableIPConflictDetection || !holder.kubevirt) {
      return { enableIPConflictDetection, enableGatewayDetection };
    }
    const migrating = await isMigrationTarget(this.deps.api, pod);
    if (migrating) {
      this.log.info(
        { [F.namespace]: pod.metadata.namespace, [F.name]: pod.metadata.name },
        'KubeVirt live-migration target: IP conflict detection disabled',
      );
    }
    return { enableIPConflictDetection: !migrating, enableGatewayDetection };
  }

  /** Re-owns the recorded IPs to the new pod UID and answers with the recorded allocation (ipam.md §8.1 step 3). */
  private async retrieveStatic(
    pod: PodView,
    holder: Holder,
    ep: SpiderEndpoint,
    nic: string,
  ): Promise<IpamAddResponse> {
    const { namespace, uid } = pod.metadata;
    const name = holder.name;
    const recorded = endpointIPs(ep);
    const work: Promise<unknown>[] = [];
    for (const e of recorded) {
      for (const [pool, address] of [
        [e.ipv4Pool, e.ipv4],
        [e.ipv6Pool, e.ipv6],
      ] as const) {
        const ip = ipOf(address);
        if (pool === undefined || ip === undefined) continue;
        work.push(
          this.deps.pools.allocate(pool, {
            podKey: holder.key,
            podUid: uid,
            nic: e.interface,
            previousIP: ip,
          }),
        );
      }
    }
    await Promise.all(work);
    const claim = recorded.some((e) => e.interface === nic) ? {} : { claimNic: nic };
    const entries = await this.deps.endpoints.refresh(namespace, name, {
      uid,
      node: pod.spec?.nodeName ?? '',
      ...claim,
    });
    return toAddResponse(entries, await this.detectionFlags(pod, holder));
  }

  /**
   * Releases recorded IPs of the current NIC whose pool is no longer selected (ipam.md §8.1 step 2). Returns whether
   * anything was released (the caller then allocates in standard mode).
   */
  private async releaseOutdatedStatefulSetIPs(
    ep: SpiderEndpoint,
    input: SelectionInput,
    nic: string,
  ): Promise<boolean> {
    let prelim;
    try {
      prelim = preliminaryCandidates(input);
    } catch {
      return false;
    }
    if (prelim === undefined) return false;
    const selected = (family: IPFamily, pool: string | undefined): boolean => {
      if (pool === undefined) return true;
      const entry =
        prelim.nics.find((n) => n.nic === nic) ?? (prelim.tier === 'ippools' ? undefined : prelim.nics[0]);
      const names = entry?.families.find((f) => f.family === family)?.pools ?? [];
      return names.some((n) => (isPoolNamePattern(n) ? matchPoolNamePattern(n, pool) : n === pool));
    };
    const entries = endpointIPs(ep);
    const outdated = entries.filter(
      (e) =>
        e.interface === nic &&
        (!selected(4, e.ipv4 ? e.ipv4Pool : undefined) || !selected(6, e.ipv6 ? e.ipv6Pool : undefined)),
    );
    if (outdated.length === 0) return false;
    const ns = ep.metadata.namespace as string;
    const name = ep.metadata.name as string;
    const uid = ep.status?.current.uid ?? '';
    if (outdated.length === entries.length) {
      await this.releaseEntries(entries, uid);
      await this.deps.endpoints.retire(ns, name, { delete: true });
    } else {
      await this.deps.endpoints.keepEntries(ns, name, (e) => !outdated.includes(e));
      await this.releaseEntries(outdated, uid);
    }
    return true;
  }

  private async isValidStatefulSetPod(namespace: string, podName: string): Promise<boolean> {
    const parsed = statefulSetOrdinal(podName);
    if (parsed === undefined) return false;
    const sts = await this.deps.api.readOwner('apps/v1', 'StatefulSet', namespace, parsed.set);
    if (sts === undefined) return false;
    const replicas = sts.spec?.replicas ?? 1;
    const start = sts.spec?.ordinals?.start ?? 0;
    return parsed.ordinal >= start && parsed.ordinal <= start + replicas - 1;
  }

  // ---------------------------------------------------------------- DEL

  /** CNI DEL (ipam.md §5.2). Idempotent; an unknown pod or container succeeds without doing anything. */
  async release(args: IpamDelArgs): Promise<void> {
    this.assertReady();
    const { podNamespace: ns, podName: name } = args;
    const pod = await this.deps.api.readPod(ns, name);
    if (pod !== undefined && isPodAlive(pod)) return;
    const uid = pod?.metadata.uid ?? args.podUID;
    if (!uid) return;
    const vmi = pod !== undefined && this.deps.config.enableKubevirtStaticIP ? controllingVmi(pod) : undefined;
    const epName = vmi ?? name;
    const ep = await this.deps.endpoints.live(ns, epName);
    if (ep?.status === undefined) return;
    const type = ep.status.ownerControllerType;
    const statefulSet = this.deps.config.enableStatefulSet && type === 'StatefulSet';
    const kubevirt = this.deps.config.enableKubevirtStaticIP && type === 'VirtualMachineInstance';
    if (statefulSet && (await this.isValidStatefulSetPod(ns, name))) return;
    if (kubevirt && (await isValidVm(this.deps.api, ns, epName))) return;
    if (ep.status.current.uid !== uid) {
      if (statefulSet || kubevirt) await this.deps.endpoints.retire(ns, epName, { delete: true });
      return;
    }
    if (!hasNic(ep, args.ifName)) return;
    await this.releaseEntries(ep.status.current.ips, uid);
    await this.deps.endpoints.retire(ns, epName, { delete: true, known: ep });
  }

  /** Batch release `DELETE /ipam/ips` (ipam.md §5.3). */
  async releaseAll(args: IpamBatchDelArgs): Promise<void> {
    this.assertReady();
    const { podNamespace: ns, podName: name } = args;
    let pod: PodView | undefined;
    let uid = args.podUID;
    if (!uid) {
      pod = await this.deps.api.readPod(ns, name);
      if (pod === undefined) return;
      uid = pod.metadata.uid;
    }
    if (args.isReleaseConflictIPs === true) {
      if (!this.deps.config.enableReleaseConflictIPs) {
        throw new ReleaseForbiddenStatelessError('forbid releasing IPs for stateless workload');
      }
      pod ??= await this.deps.api.readPod(ns, name);
      const top = pod === undefined ? undefined : await resolveTopController(pod, this.deps.api);
      if (top !== undefined && (this.isStatefulSet(top) || this.isKubevirt(top))) {
        throw new ReleaseForbiddenStatefulError('forbid releasing IPs for stateful workload');
      }
    }
    const cleared = await this.deps.endpoints.clearIPs(ns, name, uid);
    if (cleared === 'not-found') throw new EndpointNotFoundError(`SpiderEndpoint ${ns}/${name} not found`);
    if (cleared === 'uid-mismatch') {
      throw new EndpointUidMismatchError(
        `the SpiderEndpoint ${ns}/${name} records another Pod UID than ${uid}`,
      );
    }
    await this.releaseEntries(cleared, uid);
  }

  /** Releases every recorded IP (records conditional on the pod UID), pools concurrently; errors aggregated. */
  private async releaseEntries(entries: readonly IPAllocationDetail[], uid: string): Promise<void> {
    const work: Array<{ pool: string; ip: string }> = [];
    for (const e of entries) {
      const v4 = ipOf(e.ipv4);
      const v6 = ipOf(e.ipv6);
      if (e.ipv4Pool && v4) work.push({ pool: e.ipv4Pool, ip: v4 });
      if (e.ipv6Pool && v6) work.push({ pool: e.ipv6Pool, ip: v6 });
    }
    const outcomes = await Promise.allSettled(work.map((w) => this.deps.pools.release(w.pool, w.ip, uid)));
    const errors = outcomes
      .map((o) => (o.status === 'rejected' ? (o.reason as unknown) : undefined))
      .filter((e) => e !== undefined && !isNotFound(e));
    if (errors.length > 0) throw releaseFailure(errors);
  }

  // ---------------------------------------------------------------- queries

  workloadEndpoint(query: WorkloadEndpointQuery): WorkloadEndpointStatus {
    this.assertReady();
    const ep = this.deps.cache.endpoint(query.podNamespace, query.podName);
    if (ep?.status === undefined) {
      throw new EndpointNotFoundError(
        `SpiderEndpoint not found for pod ${query.podNamespace}/${query.podName}`,
      );
    }
    return {
      podNamespace: ep.metadata.namespace ?? query.podNamespace,
      podName: ep.metadata.name ?? query.podName,
      podUID: ep.status.current.uid,
      node: ep.status.current.node,
      interfaces: ep.status.current.ips.map((e) => ({
        interface: e.interface,
        ...(e.ipv4 ? { ipv4: e.ipv4 } : {}),
        ...(e.ipv6 ? { ipv6: e.ipv6 } : {}),
        ...(e.ipv4Pool ? { ipv4Pool: e.ipv4Pool } : {}),
        ...(e.ipv6Pool ? { ipv6Pool: e.ipv6Pool } : {}),
        ...(e.ipv4Gateway ? { ipv4Gateway: e.ipv4Gateway } : {}),
        ...(e.ipv6Gateway ? { ipv6Gateway: e.ipv6Gateway } : {}),
        ...(e.mac ? { mac: e.mac } : {}),
        ...(e.vlan ? { vlan: e.vlan } : {}),
        ...(e.routes ? { routes: e.routes.map((r) => ({ ifName: e.interface, dst: r.dst, gw: r.gw })) } : {}),
      })),
    };
  }

  // ---------------------------------------------------------------- helpers

  /** `GET /ipam/healthy`: throws NotReadyError until the caches synced. */
  assertServing(): void {
    this.assertReady();
  }

  private assertReady(): void {
    if (!this.deps.cache.synced()) throw new NotReadyError('spiderpool-agent caches are not synced yet');
  }

  private selectionInput(pod: PodView, top: TopController, args: IpamAddArgs): SelectionInput {
    const { cache, config } = this.deps;
    const ns = cache.namespace(pod.metadata.namespace);
    const nodeName = pod.spec?.nodeName ?? '';
    const node = nodeName === '' ? undefined : cache.node(nodeName);
    return {
      pod: {
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        uid: pod.metadata.uid,
        labels: pod.metadata.labels ?? {},
        annotations: pod.metadata.annotations ?? {},
        nodeName,
        hasController: (pod.metadata.ownerReferences ?? []).some((o) => o.controller === true),
      },
      topController: top,
      nic: args.ifName,
      namespace:
        ns === undefined
          ? undefined
          : { labels: ns.metadata.labels ?? {}, annotations: ns.metadata.annotations ?? {} },
      node: node === undefined ? undefined : { labels: node.metadata.labels ?? {} },
      netconf: {
        ...(args.defaultIPv4IPPool ? { defaultIPv4IPPool: args.defaultIPv4IPPool } : {}),
        ...(args.defaultIPv6IPPool ? { defaultIPv6IPPool: args.defaultIPv6IPPool } : {}),
        cleanGateway: args.cleanGateway ?? false,
        matchMasterSubnet: args.matchMasterSubnet ?? false,
      },
      config: {
        enableIPv4: config.enableIPv4,
        enableIPv6: config.enableIPv6,
        enableSpiderSubnet: config.enableSpiderSubnet,
        enableAutoPoolForApplication: config.enableAutoPoolForApplication,
        agentNamespace: config.agentNamespace,
        clusterNetwork: config.clusterNetwork,
      },
      pools: cache.pools(),
    };
  }
}

/** `ipam.spidernet.io/routes` (ipam.md §2.1); malformed → InvalidSpecError (wrong input). */
function parseRoutes(pod: PodView): Route[] {
  const text = pod.metadata.annotations?.[ANNOTATION_ROUTES];
  if (text === undefined) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = RoutesAnnotationSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidSpecError(`invalid format of Pod annotation '${ANNOTATION_ROUTES}'`, [
      {
        path: `metadata.annotations[${ANNOTATION_ROUTES}]`,
        type: 'Invalid',
        detail: 'must be a JSON array of {dst, gw}',
      },
    ]);
  }
  return parsed.data;
}

export const IPAM_SERVICE = Symbol('IPAM_SERVICE');

/**
 * One error for several failed releases: the error itself when there is one, else an AggregateError naming every
 * failure (the first is its `cause`); the HTTP error mapper maps an AggregateError by its first member.
 */
function releaseFailure(errors: readonly unknown[]): unknown {
  const distinct = [...new Set(errors)];
  if (distinct.length === 1) return distinct[0];
  const message = `${distinct.length} IP releases failed: ${distinct
    .map((e) => (e instanceof Error ? e.message : String(e)))
    .join('; ')}`;
  return new AggregateError(distinct, message, { cause: distinct[0] });
}
