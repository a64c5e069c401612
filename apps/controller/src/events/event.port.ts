import type { EventInput, EventRegarding } from '@spiderpool/k8s-runtime';

/** Where reconcilers report user-facing problems (house style §19); `EventRecorder` implements it. */
export interface EventPort {
  record(regarding: EventRegarding, input: EventInput): Promise<void>;
}
