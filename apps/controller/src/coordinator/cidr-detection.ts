import { isIP } from 'node:net';

/**
 * Pure detection rules of the SpiderCoordinator status controller (controller-and-chart.md §2.4.3–§2.4.6).
 * Inputs are plain data read by the reconciler; nothing here does I/O.
 */

/** What the cluster's pod CIDRs are read from once `auto` is resolved. */
export type ResolvedPodCIDRType = 'cluster' | 'calico' | 'cilium' | 'none';

export interface ClusterCidrs {
  podCIDR: string[];
  serviceCIDR: string[];
}

export class DetectionError extends Error {
  readonly code = 'DETECTION_FAILED' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DetectionError';
  }
}

/** Go `net.ParseCIDR`: `<ip>/<prefix>`, host bits allowed, no zone. */
export function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const ip = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  const family = isIP(ip);
  if (family === 0 || ip.includes('%') || !/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

// ---- §2.4.3 CNI detection from the host CNI config directory ---------------------------------------------------

/** A regular file of the CNI config directory (name only, no path). */
export interface CniConfFile {
  name: string;
  content: string;
}

/** The file the container runtime would use: `.conf`/`.conflist`, not multus' own, lexicographically first. */
export function primaryCniConfName(names: readonly string[]): string | undefined {
  return names
    .filter((n) => /\.(conf|conflist)$/.test(n) && !n.includes('00-multus'))
    .sort()
    .at(0);
}

/** CNI network name → how pod CIDRs are found: calico / cilium / flannel (cluster) / anything else (none). */
export function podCIDRTypeOfCni(networkName: string): ResolvedPodCIDRType {
  switch (networkName) {
    case 'calico':
    case 'k8s-pod-network':
      return 'calico';
    case 'cilium':
      return 'cilium';
    case 'flannel':
      return 'cluster';
    default:
      return 'none';
  }
}

/** Resolve `auto`: the network `name` of the primary CNI config; `none` when the directory has none. */
export function detectPodCIDRType(files: readonly CniConfFile[]): ResolvedPodCIDRType {
  const primary = primaryCniConfName(files.map((f) => f.name));
  if (primary === undefined) return 'none';
  const file = files.find((f) => f.name === primary);
  if (!file) return 'none';
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.content);
  } catch (err) {
    throw new DetectionError(`failed to parse CNI config ${primary}: ${(err as Error).message}`, { cause: err });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DetectionError(`CNI config ${primary} is not a JSON object`);
  }
  const name = (parsed as { name?: unknown }).name;
  return podCIDRTypeOfCni(typeof name === 'string' ? name : '');
}

// ---- §2.4.4 kube-system/kubeadm-config -------------------------------------------------------------------------

function cidrList(text: string | undefined, options: { trim: boolean }): string[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((s) => (options.trim ? s.trim() : s))
    .filter(isCidr);
}

function firstValue(text: string, key: string): string | undefined {
  return new RegExp(`${key}:\\s*(\\S+)`).exec(text)?.[1];
}

/**
 * Pod and service CIDRs from the `ClusterConfiguration` key of the kubeadm-config ConfigMap, by text scan (not
 * YAML): the first `podSubnet:` / `serviceSubnet:` token, split on commas, invalid entries dropped.
 */
export function parseKubeadmConfig(data: Readonly<Record<string, string>> | undefined): ClusterCidrs {
  const text = data?.['ClusterConfiguration'];
  if (text === undefined) throw new DetectionError('kubeadm-config has no ClusterConfiguration key');
  return {
    podCIDR: cidrList(firstValue(text, 'podSubnet'), { trim: true }),
    serviceCIDR: cidrList(firstValue(text, 'serviceSubnet'), { trim: true }),
  };
}

// ---- §2.4.5 kube-controller-manager pod flags ------------------------------------------------------------------

export interface KcmPodLike {
  spec?: { containers?: ReadonlyArray<{ command?: readonly string[]; args?: readonly string[] }> };
}

function flagValue(items: readonly string[], flag: string): string | undefined {
  for (const item of items) {
    const at = item.indexOf(`${flag}=`);
    if (at >= 0) return item.slice(at + flag.length + 1);
  }
  return undefined;
}

/** `--cluster-cidr` / `--service-cluster-ip-range` of the first container, command first, then args. */
export function parseKcmPod(pod: KcmPodLike): ClusterCidrs {
  const container = pod.spec?.containers?.[0];
  const command = container?.command ?? [];
  const args = container?.args ?? [];
  const pod4 = flagValue(command, '--cluster-cidr') ?? flagValue(args, '--cluster-cidr');
  const svc = flagValue(command, '--service-cluster-ip-range') ?? flagValue(args, '--service-cluster-ip-range');
  return { podCIDR: cidrList(pod4, { trim: false }), serviceCIDR: cidrList(svc, { trim: false }) };
}

// ---- §2.4.2 step 4: overlay pod CIDRs by type ------------------------------------------------------------------

interface Dated {
  metadata?: { creationTimestamp?: string | Date; deletionTimestamp?: string | Date; name?: string };
}

function byCreation<T extends Dated>(items: readonly T[]): T[] {
  const t = (o: T): number => new Date(o.metadata?.creationTimestamp ?? 0).getTime();
  return [...items]
    .filter((o) => o.metadata?.deletionTimestamp === undefined)
    .sort((a, b) => t(a) - t(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

export interface CalicoIPPoolLike extends Dated {
  spec?: { cidr?: string; disabled?: boolean };
}

/** Enabled Calico IPPools, oldest first, their `spec.cidr`. */
export function calicoOverlayCidrs(pools: readonly CalicoIPPoolLike[]): string[] {
  return byCreation(pools).flatMap((p) => (!p.spec?.disabled && p.spec?.cidr ? [p.spec.cidr] : []));
}

export interface CiliumPodIPPoolLike extends Dated {
  spec?: { ipv4?: { cidrs?: string[] }; ipv6?: { cidrs?: string[] } };
}

/** The Cilium IPAM modes whose pod CIDRs live in pools (the only ones that need the CiliumPodIPPool CRD). */
export function ciliumNeedsPools(configData: Readonly<Record<string, string>>): boolean {
  return configData['ipam'] === 'multi-pool';
}

/**
 * Overlay CIDRs for Cilium by `data.ipam` of its ConfigMap (§2.4.6): cluster-pool from the ConfigMap keys,
 * multi-pool from CiliumPodIPPools (`pools` must be given), kubernetes from the k8s pod CIDRs.
 */
export function ciliumOverlayCidrs(
  configData: Readonly<Record<string, string>>,
  pools: readonly CiliumPodIPPoolLike[] | undefined,
  k8sPodCIDR: readonly string[],
): string[] {
  const mode = configData['ipam'];
  switch (mode) {
    case 'cluster-pool':
    case 'cluster-pool-v2beta': {
      const out: string[] = [];
      for (const key of ['cluster-pool-ipv4-cidr', 'cluster-pool-ipv6-cidr']) {
        const value = configData[key];
        if (value === undefined) continue;
        const cidr = value.trim();
        if (!isCidr(cidr)) throw new DetectionError(`invalid ${key} ${JSON.stringify(value)} in the cilium ConfigMap`);
        out.push(cidr);
      }
      return out;
    }
    case 'multi-pool':
      if (!pools) throw new DetectionError('the cilium multi-pool feature is unavailable');
      return byCreation(pools).flatMap((p) => [...(p.spec?.ipv4?.cidrs ?? []), ...(p.spec?.ipv6?.cidrs ?? [])]);
    case 'kubernetes':
      return [...k8sPodCIDR];
    default:
      throw new DetectionError(`unsupported Cilium IPAM mode: ${mode ?? ''}`);
  }
}

export const NO_KCM_POD_REASON = 'No kube-controller-manager pod found, unable to get clusterCIDR';
