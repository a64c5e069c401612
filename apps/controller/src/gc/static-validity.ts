import type { ObjectClient, WireObject } from '../api-client/object-client.port.js';
import { KINDS } from '../api-client/resource-kinds.js';

/** Whether a StatefulSet / KubeVirt owner still wants its fixed IP (ipam.md §8.1, §8.2), from live reads. */
export interface StaticValidity {
  statefulSetPod(namespace: string, podName: string): Promise<boolean>;
  kubevirtVm(namespace: string, vmiName: string): Promise<boolean>;
}

type Sts = WireObject & { spec?: { replicas?: number; ordinals?: { start?: number } } };

export class LiveStaticValidity implements StaticValidity {
  constructor(private readonly client: ObjectClient) {}

  async statefulSetPod(namespace: string, podName: string): Promise<boolean> {
    const m = /^(.*)-([0-9]+)$/.exec(podName);
    if (m === null) return false;
    const sts = await this.client.get<Sts>(KINDS.statefulSet, { namespace, name: m[1] as string });
    if (sts === undefined) return false;
    const ordinal = Number(m[2]);
    const replicas = sts.spec?.replicas ?? 1;
    const start = sts.spec?.ordinals?.start ?? 0;
    return ordinal >= start && ordinal <= start + replicas - 1;
  }

  async kubevirtVm(namespace: string, vmiName: string): Promise<boolean> {
    const vmi = await this.client.get(KINDS.vmi, { namespace, name: vmiName });
    if (vmi !== undefined && !vmi.metadata.deletionTimestamp) return true;
    if (vmi !== undefined && !(vmi.metadata.ownerReferences ?? []).some((o) => o.kind === 'VirtualMachine' && o.apiVersion === KINDS.vm.apiVersion)) return false;
    const vm = await this.client.get(KINDS.vm, { namespace, name: vmiName });
    return vm !== undefined && !vm.metadata.deletionTimestamp;
  }
}
