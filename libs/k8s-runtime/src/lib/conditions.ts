/** A status condition in the k8s API conventions shape (`metav1.Condition`). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
  observedGeneration?: number;
  /** RFC 3339; changes only when `status` changes. */
  lastTransitionTime: string;
}

/** The condition types our reconcilers report (house style §19). */
export const CONDITION_TYPES = { ready: 'Ready', degraded: 'Degraded', progressing: 'Progressing' } as const;

export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

export interface SetConditionResult {
  conditions: Condition[];
  /** Anything at all changed (a status write is needed). */
  changed: boolean;
  /** `status` flipped or the condition is new (emit an Event). */
  transitioned: boolean;
}

/** RFC 3339 with second precision, as the API server serialises `metav1.Time`. */
export function toRfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Pure upsert of one condition by `type` (k8s `meta.SetStatusCondition` semantics): `lastTransitionTime` is set to
 * `now` when the condition is new or its `status` changed, and kept otherwise; reason/message/observedGeneration
 * are always updated. The input array is not mutated; order is preserved, new types are appended.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  cond: ConditionInput,
  now: number,
): SetConditionResult {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === cond.type);
  const existing = i >= 0 ? list[i] : undefined;
  if (!existing) {
    list.push({ ...cond, lastTransitionTime: toRfc3339(now) });
    return { conditions: list, changed: true, transitioned: true };
  }
  const transitioned = existing.status !== cond.status;
  const next: Condition = {
    ...cond,
    lastTransitionTime: transitioned ? toRfc3339(now) : existing.lastTransitionTime,
  };
  const changed =
    transitioned ||
    existing.reason !== next.reason ||
    (existing.message ?? '') !== (next.message ?? '') ||
    existing.observedGeneration !== next.observedGeneration;
  list[i] = changed ? next : existing;
  return { conditions: list, changed, transitioned };
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
