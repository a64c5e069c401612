import { z } from 'zod';
import { wrongAnnotation } from './annotation-input.js';
import { ANNOTATION_MULTUS_DEFAULT_NETWORK, ANNOTATION_MULTUS_NETWORKS } from './model.js';

/** One element of a Multus network selection annotation. */
export interface NetworkSelection {
  readonly name: string;
  readonly namespace?: string;
  readonly interface?: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const elementSchema = z.array(
  z.object({ name: z.string(), namespace: z.string().optional(), interface: z.string().optional() }),
);

/**
 * Multus selection syntax: a JSON array of `{name, namespace?, interface?}` when the trimmed value contains `[`, `{`
 * or `"`; otherwise a comma list of `[namespace/]name[@ifname]`. An empty value is an error.
 */
export function parseMultusNetworks(
  value: string,
  key: string = ANNOTATION_MULTUS_NETWORKS,
): NetworkSelection[] {
  const trimmed = value.trim();
  if (trimmed === '') throw wrongAnnotation(key, 'empty network selection');
  if (/[[{"]/.test(trimmed)) {
    let raw: unknown;
    try {
      raw = JSON.parse(trimmed);
    } catch {
      throw wrongAnnotation(key, 'not a JSON array of network selection elements');
    }
    const parsed = elementSchema.safeParse(raw);
    if (!parsed.success) throw wrongAnnotation(key, 'not a JSON array of network selection elements');
    return parsed.data.map((e) => ({
      name: e.name,
      ...(e.namespace === undefined || e.namespace === '' ? {} : { namespace: e.namespace }),
      ...(e.interface === undefined || e.interface === '' ? {} : { interface: e.interface }),
    }));
  }
  return trimmed.split(',').map((item) => {
    let rest = item.trim();
    let iface: string | undefined;
    const at = rest.indexOf('@');
    if (at >= 0) {
      iface = rest.slice(at + 1);
      rest = rest.slice(0, at);
      if (iface.length === 0 || iface.length >= 16 || /[/\s]/.test(iface))
        throw wrongAnnotation(key, `invalid interface name '${iface}'`);
    }
    const parts = rest.split('/');
    if (parts.length > 2) throw wrongAnnotation(key, `invalid network '${item}'`);
    const name = parts[parts.length - 1] as string;
    const namespace = parts.length === 2 ? (parts[0] as string) : undefined;
    if (!DNS1123_LABEL.test(name) || (namespace !== undefined && !DNS1123_LABEL.test(namespace))) {
      throw wrongAnnotation(key, `invalid network '${item}'`);
    }
    return {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      ...(iface === undefined ? {} : { interface: iface }),
    };
  });
}

export type NicNetwork =
  | { readonly kind: 'resolved'; readonly network: string }
  | {
      readonly kind: 'unresolved';
      readonly reason: 'ClusterNetworkUnset' | 'MultusNotMatched';
      readonly detail: string;
    };

/**
 * Which NetworkAttachmentDefinition (`namespace/name`) serves `nic` (ipam.md §3.4 rule 7): the first NIC (`eth0` or
 * `"0"`) uses `v1.multus-cni.io/default-network` (namespace defaults to the agent's) or the cluster network; any
 * other NIC the `k8s.v1.cni.cncf.io/networks` element whose interface (explicit or `net<i+1>`) equals the NIC, or,
 * for a numeric NIC `k`, the k-th element (namespace defaults to the pod's).
 */
export function resolveNicNetwork(input: {
  readonly nic: string;
  readonly podNamespace: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly agentNamespace: string;
  readonly clusterNetwork?: string | undefined;
}): NicNetwork {
  const { nic, annotations } = input;
  if (nic === 'eth0' || nic === '0') {
    const value = annotations[ANNOTATION_MULTUS_DEFAULT_NETWORK];
    if (value !== undefined) {
      const first = parseMultusNetworks(value, ANNOTATION_MULTUS_DEFAULT_NETWORK)[0] as NetworkSelection;
      return { kind: 'resolved', network: `${first.namespace ?? input.agentNamespace}/${first.name}` };
    }
    if (input.clusterNetwork !== undefined && input.clusterNetwork !== '') {
      return { kind: 'resolved', network: input.clusterNetwork };
    }
    return { kind: 'unresolved', reason: 'ClusterNetworkUnset', detail: 'cluster-network multus is not set' };
  }
  const value = annotations[ANNOTATION_MULTUS_NETWORKS];
  if (value === undefined) {
    return {
      kind: 'unresolved',
      reason: 'MultusNotMatched',
      detail: `no ${ANNOTATION_MULTUS_NETWORKS} annotation for NIC ${nic}`,
    };
  }
  const networks = parseMultusNetworks(value);
  const index = /^[0-9]+$/.test(nic) ? Number(nic) : undefined;
  const found = networks.find(
    (n, i) => (n.interface ?? `net${i + 1}`) === nic || (index !== undefined && i + 1 === index),
  );
  if (found === undefined) {
    return {
      kind: 'unresolved',
      reason: 'MultusNotMatched',
      detail: `no network of ${ANNOTATION_MULTUS_NETWORKS} serves NIC ${nic}`,
    };
  }
  return { kind: 'resolved', network: `${found.namespace ?? input.podNamespace}/${found.name}` };
}
