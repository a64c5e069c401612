import type { KubeObject } from './object-key.js';

/**
 * An update filter: `(old, new) → boolean`, true = enqueue. Pure, so each is testable on plain objects.
 * The controller applies predicates to update events (including resyncs); adds and deletes are always enqueued
 * because the runtime is level-based.
 */
export type Predicate<T extends KubeObject = KubeObject> = (oldObj: T, newObj: T) => boolean;

export function and<T extends KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return (o, n) => predicates.every((p) => p(o, n));
}

export function or<T extends KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return (o, n) => predicates.some((p) => p(o, n));
}

export function not<T extends KubeObject>(predicate: Predicate<T>): Predicate<T> {
  return (o, n) => !predicate(o, n);
}

export const always: Predicate = () => true;

/** `metadata.generation` moved: the spec changed (status-only writes do not bump it). */
export const generationChanged: Predicate = (o, n) => o.metadata?.generation !== n.metadata?.generation;

/** Any change at all; false for periodic resyncs, which re-deliver the same object. */
export const resourceVersionChanged: Predicate = (o, n) =>
  o.metadata?.resourceVersion !== n.metadata?.resourceVersion;

function sameRecord(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ea = Object.entries(a ?? {});
  if (ea.length !== Object.keys(b ?? {}).length) return false;
  return ea.every(([k, v]) => (b ?? {})[k] === v);
}

export const labelsChanged: Predicate = (o, n) => !sameRecord(o.metadata?.labels, n.metadata?.labels);

export const annotationsChanged: Predicate = (o, n) =>
  !sameRecord(o.metadata?.annotations, n.metadata?.annotations);

/** The value of one annotation changed (including being added or removed). */
export function annotationChanged(key: string): Predicate {
  return (o, n) => o.metadata?.annotations?.[key] !== n.metadata?.annotations?.[key];
}

/** The value of one label changed (including being added or removed). */
export function labelChanged(key: string): Predicate {
  return (o, n) => o.metadata?.labels?.[key] !== n.metadata?.labels?.[key];
}

/** The object just started terminating (`deletionTimestamp` went from unset to set). */
export const deletionTimestampSet: Predicate = (o, n) =>
  o.metadata?.deletionTimestamp === undefined && n.metadata?.deletionTimestamp !== undefined;
