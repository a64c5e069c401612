import type { V1Node, V1NodeStatus, V1Pod, V1PodStatus } from '@kubernetes/client-node';

export type PodEventType = 'add' | 'update' | 'delete';

export interface PodWatch {
  stop(): Promise<void>;
}

/** The apiserver operations a simulated kubelet performs. */
export interface ClusterApiPort {
  /** Creates the Node, or updates its labels when it exists. */
  upsertNode(node: V1Node): Promise<void>;
  patchNodeStatus(name: string, status: V1NodeStatus): Promise<void>;
  deleteNode(name: string): Promise<void>;
  /** Removes the taints with these keys from the Node, if present. */
  removeNodeTaints(name: string, keys: readonly string[]): Promise<void>;
  /** Watches Pods with `spec.nodeName == nodeName` (list, then watch; relists on error). */
  watchPods(nodeName: string, onEvent: (type: PodEventType, pod: V1Pod) => void): Promise<PodWatch>;
  patchPodStatus(namespace: string, name: string, status: V1PodStatus): Promise<void>;
  /** Records a core/v1 Event on a pod. */
  recordPodEvent(
    pod: V1Pod,
    event: { type: 'Normal' | 'Warning'; reason: string; message: string; node: string },
  ): Promise<void>;
  /** Deletes a pod with grace period 0 and a UID precondition, as kubelet does; a missing pod is not an error. */
  deletePodNow(namespace: string, name: string, uid: string): Promise<void>;
}
