import {
  CoreV1Api,
  KubeConfig,
  ListWatch,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type V1Node,
  type V1NodeStatus,
  type V1Pod,
  type V1PodStatus,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ClusterApiPort, PodEventType, PodWatch } from './cluster-api.port.js';
import { errText, LOG_FIELDS as F } from './log-fields.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function statusCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** {@link ClusterApiPort} over @kubernetes/client-node, from a kubeconfig file. */
export class ClientNodeClusterApi implements ClusterApiPort {
  private readonly kc = new KubeConfig();
  private readonly core: CoreV1Api;

  constructor(
    kubeconfigPath: string,
    private readonly log: Logger,
  ) {
    this.kc.loadFromFile(kubeconfigPath);
    this.core = this.kc.makeApiClient(CoreV1Api);
  }

  async upsertNode(node: V1Node): Promise<void> {
    const name = node.metadata?.name ?? '';
    try {
      await this.core.createNode({ body: node });
    } catch (err) {
      if (statusCode(err) !== 409) throw err;
      await this.core.patchNode(
        { name, body: { metadata: { labels: node.metadata?.labels ?? {} } } },
        mergePatch,
      );
    }
  }

  async patchNodeStatus(name: string, status: V1NodeStatus): Promise<void> {
    await this.core.patchNodeStatus({ name, body: { status } }, mergePatch);
  }

  async deleteNode(name: string): Promise<void> {
    try {
      await this.core.deleteNode({ name });
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  }

  async removeNodeTaints(name: string, keys: readonly string[]): Promise<void> {
    const node = await this.core.readNode({ name });
    const taints = node.spec?.taints ?? [];
    const kept = taints.filter((t) => !keys.includes(t.key));
    if (kept.length === taints.length) return;
    await this.core.patchNode({ name, body: { spec: { taints: kept } } }, mergePatch);
  }

  async watchPods(nodeName: string, onEvent: (type: PodEventType, pod: V1Pod) => void): Promise<PodWatch> {
    const fieldSelector = `spec.nodeName=${nodeName}`;
    const informer = new ListWatch<V1Pod>(
      '/api/v1/pods',
      new Watch(this.kc),
      () => this.core.listPodForAllNamespaces({ fieldSelector }),
      false,
      undefined,
      fieldSelector,
    );
    let stopped = false;
    informer.on('add', (pod) => onEvent('add', pod));
    informer.on('update', (pod) => onEvent('update', pod));
    informer.on('delete', (pod) => onEvent('delete', pod));
    informer.on('error', (err: unknown) => {
      if (stopped) return;
      this.log.warn({ [F.node]: nodeName, [F.err]: errText(err) }, 'pod watch failed, restarting');
      setTimeout(() => {
        if (!stopped) {
          informer
            .start()
            .catch((startErr: unknown) =>
              this.log.warn({ [F.node]: nodeName, [F.err]: errText(startErr) }, 'pod watch restart failed'),
            );
        }
      }, 1_000).unref();
    });
    await informer.start();
    return {
      stop: async () => {
        stopped = true;
        await informer.stop();
      },
    };
  }

  async patchPodStatus(namespace: string, name: string, status: V1PodStatus): Promise<void> {
    await this.core.patchNamespacedPodStatus({ namespace, name, body: { status } }, mergePatch);
  }

  async recordPodEvent(
    pod: V1Pod,
    event: { type: 'Normal' | 'Warning'; reason: string; message: string; node: string },
  ): Promise<void> {
    const namespace = pod.metadata?.namespace ?? 'default';
    const now = new Date();
    await this.core.createNamespacedEvent({
      namespace,
      body: {
        metadata: { generateName: `${pod.metadata?.name ?? 'pod'}.`, namespace },
        involvedObject: {
          apiVersion: 'v1',
          kind: 'Pod',
          namespace,
          name: pod.metadata?.name,
          uid: pod.metadata?.uid,
          resourceVersion: pod.metadata?.resourceVersion,
        },
        reason: event.reason,
        message: event.message,
        type: event.type,
        source: { component: 'kubelet', host: event.node },
        reportingComponent: 'kubelet',
        reportingInstance: event.node,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
  }

  async deletePodNow(namespace: string, name: string, uid: string): Promise<void> {
    try {
      await this.core.deleteNamespacedPod({
        namespace,
        name,
        gracePeriodSeconds: 0,
        body: { gracePeriodSeconds: 0, preconditions: { uid } },
      });
    } catch (err) {
      const code = statusCode(err);
      if (code !== 404 && code !== 409) throw err;
    }
  }
}
