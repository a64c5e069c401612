import { createHash } from 'node:crypto';
import type { V1Node, V1NodeCondition, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ClusterApiPort, PodWatch } from './cluster-api.port.js';
import type { CniCall, CniInvoker } from './cni-invoker.js';
import type { HostNetworkPort } from './host-network.port.js';
import { podIPsFromResult, runningPodStatus } from './pod-status.js';
import { PodWorkQueue, realScheduler, type Scheduler } from './pod-work-queue.js';
import { errText, LOG_FIELDS as F } from './log-fields.js';

export interface NodeSimulatorOptions {
  name: string;
  labels: Record<string, string>;
  internalIP: string;
  kubeletVersion: string;
  /** Pod network namespace name for a pod UID (carries the run prefix). */
  podNetnsName: (podUid: string) => string;
  /** Default 4. */
  concurrency?: number;
  /** Default 10 s (kubelet's nodeStatusUpdateFrequency). */
  heartbeatMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  scheduler?: Scheduler;
  now?: () => Date;
}

interface Sandbox {
  call: CniCall;
  netns: string;
  podIPs: string[];
}

export const FAILED_CREATE_POD_SANDBOX = 'FailedCreatePodSandBox';
const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';

/**
 * A simulated kubelet, network step only: registers its Node and keeps Ready fresh, and for every pod bound to it
 * creates a network namespace, runs the CNI chain (ADD), and reports the pod Running with the IPs of the result.
 * On deletion it runs CNI DEL, removes the namespace and force-deletes the pod. Work is level-based per pod UID.
 */
export class NodeSimulator {
  private readonly latest = new Map<string, V1Pod | undefined>();
  private readonly sandboxes = new Map<string, Sandbox>();
  /** UIDs already force-deleted, waiting for the watch's delete event. */
  private readonly forceDeleted = new Set<string>();
  private readonly queue: PodWorkQueue;
  private watch: PodWatch | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => Date;
  private readonly log: Logger;

  constructor(
    private readonly api: ClusterApiPort,
    private readonly cni: CniInvoker,
    private readonly net: HostNetworkPort,
    private readonly options: NodeSimulatorOptions,
    log: Logger,
  ) {
    this.log = log.child({ [F.node]: options.name });
    this.now = options.now ?? (() => new Date());
    this.queue = new PodWorkQueue((uid) => this.reconcile(uid), {
      concurrency: options.concurrency ?? 4,
      baseBackoffMs: options.baseBackoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
      scheduler: options.scheduler ?? realScheduler,
      onRetry: (uid, err, delayMs) =>
        this.log.warn(
          { [F.podUid]: uid, [F.delayMs]: delayMs, [F.err]: errText(err) },
          'pod sync failed, retrying',
        ),
    });
  }

  get name(): string {
    return this.options.name;
  }

  /** Registers the Node (Ready), starts the heartbeat and the pod watch. */
  async start(): Promise<void> {
    const { name, labels, internalIP } = this.options;
    const node: V1Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          ...labels,
        },
      },
      spec: {},
    };
    await this.api.upsertNode(node);
    await this.api.patchNodeStatus(name, {
      capacity: { cpu: '16', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '16', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' },
      addresses: [
        { type: 'InternalIP', address: internalIP },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: this.options.kubeletVersion,
        kubeProxyVersion: '',
        containerRuntimeVersion: 'simulated://0',
        kernelVersion: '',
        osImage: 'spiderpool local cluster',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
      conditions: this.conditions(),
    });
    // The apiserver's TaintNodesByCondition admission taints new nodes not-ready; the node lifecycle controller
    // would lift it once Ready is posted, but the local control plane runs without that controller.
    await this.api.removeNodeTaints(name, [NOT_READY_TAINT]);
    this.heartbeat = setInterval(() => {
      this.api.patchNodeStatus(name, { conditions: this.conditions() }).catch((err: unknown) => {
        this.log.warn({ [F.err]: errText(err) }, 'node heartbeat failed');
      });
    }, this.options.heartbeatMs ?? 10_000);
    this.heartbeat.unref();
    this.watch = await this.api.watchPods(name, (type, pod) => {
      const uid = pod.metadata?.uid;
      if (!uid) return;
      this.latest.set(uid, type === 'delete' ? undefined : pod);
      this.queue.add(uid);
    });
    this.log.info('node registered');
  }

  /** Pod UIDs with a live sandbox (netns + CNI ADD done). */
  sandboxUids(): string[] {
    return [...this.sandboxes.keys()];
  }

  /** Resolves when no pod work is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Stops watching, then tears down every sandbox (CNI DEL, netns) — best effort, errors collected. */
  async stop(options: { deleteNode?: boolean } = {}): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    const errors: unknown[] = [];
    await this.watch?.stop().catch((err: unknown) => errors.push(err));
    await this.queue.shutdown();
    for (const [uid, sandbox] of this.sandboxes) {
      await this.teardown(sandbox).catch((err: unknown) => errors.push(err));
      this.sandboxes.delete(uid);
    }
    if (options.deleteNode)
      await this.api.deleteNode(this.options.name).catch((err: unknown) => errors.push(err));
    if (errors.length > 0) throw new AggregateError(errors, `node ${this.options.name}: teardown incomplete`);
  }

  private conditions(): V1NodeCondition[] {
    const now = this.now();
    const c = (type: string, status: string, reason: string): V1NodeCondition => ({
      type,
      status,
      reason,
      message: reason,
      lastHeartbeatTime: now,
      lastTransitionTime: now,
    });
    return [
      c('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
      c('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
      c('PIDPressure', 'False', 'KubeletHasSufficientPID'),
      c('Ready', 'True', 'KubeletReady'),
    ];
  }

  /** Level-based: compares the latest pod with the sandbox we hold and closes the gap. */
  private async reconcile(uid: string): Promise<void> {
    const pod = this.latest.get(uid);
    const sandbox = this.sandboxes.get(uid);
    const deleting = pod === undefined || pod.metadata?.deletionTimestamp !== undefined;
    if (deleting) {
      if (sandbox) {
        await this.teardown(sandbox);
        this.sandboxes.delete(uid);
      }
      if (pod?.metadata?.name && pod.metadata.namespace && !this.forceDeleted.has(uid)) {
        await this.api.deletePodNow(pod.metadata.namespace, pod.metadata.name, uid);
        this.forceDeleted.add(uid);
        this.log.info({ [F.pod]: `${pod.metadata.namespace}/${pod.metadata.name}` }, 'pod deleted');
      }
      if (pod === undefined) this.forceDeleted.delete(uid);
      if (pod === undefined) this.latest.delete(uid);
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;
    if (!sandbox) {
      const created = await this.setup(pod, uid);
      this.sandboxes.set(uid, created);
      await this.reportRunning(pod, created);
      return;
    }
    if (phase !== 'Running' || pod.status?.podIP !== sandbox.podIPs[0])
      await this.reportRunning(pod, sandbox);
  }

  private async setup(pod: V1Pod, uid: string): Promise<Sandbox> {
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    const netns = this.options.podNetnsName(uid);
    const netnsPath = await this.net.ensureNetns(netns);
    const call: CniCall = {
      containerId: createHash('sha256').update(uid).digest('hex'),
      netnsPath,
      ifName: 'eth0',
      pod: { namespace, name, uid },
    };
    try {
      const result = await this.cni.add(call);
      const podIPs = podIPsFromResult(result.ips);
      this.log.info(
        { [F.pod]: `${namespace}/${name}`, [F.podIPs]: podIPs, [F.netns]: netns },
        'pod sandbox ready',
      );
      return { call, netns, podIPs };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.api
        .recordPodEvent(pod, {
          type: 'Warning',
          reason: FAILED_CREATE_POD_SANDBOX,
          message: `Failed to create pod sandbox: plugin type="multus" name="multus-cni-network" failed (add): ${message}`,
          node: this.options.name,
        })
        .catch((evErr: unknown) => this.log.warn({ [F.err]: errText(evErr) }, 'recording event failed'));
      // kubelet/containerd clean up a failed sandbox: DEL (best effort), then the namespace.
      const cleanupFailed = (step: string) => (cleanupErr: unknown) =>
        this.log.warn({ [F.pod]: `${namespace}/${name}`, [F.err]: errText(cleanupErr) }, `${step} after failed ADD failed`);
      await this.cni.del(call).catch(cleanupFailed('CNI DEL'));
      await this.net.deleteNetns(netns).catch(cleanupFailed('netns removal'));
      throw err;
    }
  }

  private async reportRunning(pod: V1Pod, sandbox: Sandbox): Promise<void> {
    const status = runningPodStatus({
      pod,
      podIPs: sandbox.podIPs,
      hostIP: this.options.internalIP,
      containerId: sandbox.call.containerId,
      now: this.now(),
    });
    await this.api.patchPodStatus(sandbox.call.pod.namespace, sandbox.call.pod.name, status);
  }

  private async teardown(sandbox: Sandbox): Promise<void> {
    await this.cni.del(sandbox.call);
    await this.net.deleteNetns(sandbox.netns);
    this.log.info(
      { [F.pod]: `${sandbox.call.pod.namespace}/${sandbox.call.pod.name}` },
      'pod sandbox removed',
    );
  }
}
