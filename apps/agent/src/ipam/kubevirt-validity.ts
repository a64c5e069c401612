import type { TopController } from '@spiderpool/ipam-core';
import type { ClusterApi, PodView } from '../cluster/cluster.port.js';

export const KUBEVIRT_API_VERSION = 'kubevirt.io/v1';
export const VMI_KIND = 'VirtualMachineInstance';
export const ANNOTATION_KUBEVIRT_MIGRATION = 'kubevirt.io/migrationJobName';

/** The pod's top controller is a KubeVirt VMI (ipam.md §8.2 "applies when"). */
export const isVmiTop = (top: TopController): boolean =>
  top.apiVersion === KUBEVIRT_API_VERSION && top.kind === VMI_KIND;

/** The VMI controlling a pod directly (its controller ownerReference), if any. */
export function controllingVmi(pod: PodView): string | undefined {
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller === true);
  return owner?.apiVersion === KUBEVIRT_API_VERSION && owner.kind === VMI_KIND ? owner.name : undefined;
}

/**
 * `IsValidVMPod` (ipam.md §8.2), live reads: a VMI that exists and is not terminating → valid; a terminating VMI
 * without a VirtualMachine owner → invalid; otherwise (VMI missing, or terminating under a VM) the VM named like the
 * VMI must exist and not be terminating.
 */
export async function isValidVm(api: ClusterApi, namespace: string, vmiName: string): Promise<boolean> {
  const vmi = await api.readOwner(KUBEVIRT_API_VERSION, VMI_KIND, namespace, vmiName);
  if (vmi !== undefined && !vmi.metadata.deletionTimestamp) return true;
  if (
    vmi !== undefined &&
    !(vmi.metadata.ownerReferences ?? []).some(
      (o) => o.apiVersion === KUBEVIRT_API_VERSION && o.kind === 'VirtualMachine',
    )
  ) {
    return false;
  }
  const vm = await api.readOwner(KUBEVIRT_API_VERSION, 'VirtualMachine', namespace, vmiName);
  return vm !== undefined && !vm.metadata.deletionTimestamp;
}

/**
 * Live-migration target (ipam.md §8.2): the pod carries `kubevirt.io/migrationJobName` and that
 * VirtualMachineInstanceMigration exists. A missing migration → false; other read errors propagate (ADD fails).
 */
export async function isMigrationTarget(api: ClusterApi, pod: PodView): Promise<boolean> {
  const job = pod.metadata.annotations?.[ANNOTATION_KUBEVIRT_MIGRATION];
  if (job === undefined || job === '') return false;
  const migration = await api.readOwner(
    KUBEVIRT_API_VERSION,
    'VirtualMachineInstanceMigration',
    pod.metadata.namespace,
    job,
  );
  return migration !== undefined;
}
