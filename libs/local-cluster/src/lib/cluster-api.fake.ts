import type { V1Node, V1NodeStatus, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { ClusterApiPort, PodEventType, PodWatch } from './cluster-api.port.js';

/** In-memory apiserver slice: nodes, pods (with a watch per node), recorded events and status writes. */
export class FakeClusterApi implements ClusterApiPort {
  readonly nodes = new Map<string, V1Node>();
  readonly pods = new Map<string, V1Pod>();
  readonly events: { pod: string; type: string; reason: string; message: string }[] = [];
  readonly statusWrites: { pod: string; status: V1PodStatus }[] = [];
  readonly forceDeleted: string[] = [];
  /** When set, the next status writes throw this. */
  failStatusWrites: Error | undefined;
  private readonly watchers = new Map<string, (type: PodEventType, pod: V1Pod) => void>();

  async upsertNode(node: V1Node): Promise<void> {
    const name = node.metadata?.name ?? '';
    // like the TaintNodesByCondition admission plugin, a new Node starts out tainted not-ready
    const existing = this.nodes.get(name);
    const taints = existing
      ? (existing.spec?.taints ?? [])
      : [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }];
    this.nodes.set(name, { ...existing, ...node, spec: { ...node.spec, taints } });
  }
  async patchNodeStatus(name: string, status: V1NodeStatus): Promise<void> {
    const node = this.nodes.get(name);
    if (!node) throw Object.assign(new Error(`node ${name} not found`), { code: 404 });
    node.status = { ...node.status, ...status };
  }
  async deleteNode(name: string): Promise<void> {
    this.nodes.delete(name);
  }
  async removeNodeTaints(name: string, keys: readonly string[]): Promise<void> {
    const node = this.nodes.get(name);
    if (node?.spec?.taints) node.spec.taints = node.spec.taints.filter((t) => !keys.includes(t.key));
  }
  async watchPods(nodeName: string, onEvent: (type: PodEventType, pod: V1Pod) => void): Promise<PodWatch> {
    this.watchers.set(nodeName, onEvent);
    for (const pod of this.pods.values()) if (pod.spec?.nodeName === nodeName) onEvent('add', pod);
    return { stop: async () => void this.watchers.delete(nodeName) };
  }
  async patchPodStatus(namespace: string, name: string, status: V1PodStatus): Promise<void> {
    if (this.failStatusWrites) throw this.failStatusWrites;
    const pod = this.pods.get(`${namespace}/${name}`);
    if (!pod) throw Object.assign(new Error('not found'), { code: 404 });
    pod.status = { ...pod.status, ...status };
    this.statusWrites.push({ pod: `${namespace}/${name}`, status });
  }
  async recordPodEvent(pod: V1Pod, event: { type: string; reason: string; message: string }): Promise<void> {
    this.events.push({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, ...event });
  }
  async deletePodNow(namespace: string, name: string): Promise<void> {
    const key = `${namespace}/${name}`;
    const pod = this.pods.get(key);
    this.forceDeleted.push(key);
    if (!pod) return;
    this.pods.delete(key);
    this.emit('delete', pod);
  }

  /** Test driver: create or update a pod and notify the watcher of its node. */
  putPod(pod: V1Pod): void {
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const type = this.pods.has(key) ? 'update' : 'add';
    this.pods.set(key, pod);
    this.emit(type, pod);
  }

  /** Test driver: graceful delete (sets deletionTimestamp), like `kubectl delete pod`. */
  markDeleting(namespace: string, name: string): void {
    const pod = this.pods.get(`${namespace}/${name}`);
    if (!pod) return;
    pod.metadata = { ...pod.metadata, deletionTimestamp: new Date(0) };
    this.emit('update', pod);
  }

  private emit(type: PodEventType, pod: V1Pod): void {
    const node = pod.spec?.nodeName;
    if (node) this.watchers.get(node)?.(type, pod);
  }
}
