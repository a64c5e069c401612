import type { PodView } from '../cluster/cluster.port.js';

export interface PodEvent {
  readonly type: 'Normal' | 'Warning';
  /** CamelCase, e.g. `NoAvailablePool`. */
  readonly reason: string;
  readonly note: string;
}

/** Kubernetes Events about a Pod (the user-facing half of an allocation failure, house style §19). */
export interface PodEventPort {
  record(pod: PodView, event: PodEvent): Promise<void>;
}

export const POD_EVENTS = Symbol('POD_EVENTS');
