/**
 * The shared vocabulary of structured-log keys (house style §12). Every child logger and every log call of the
 * runtime takes its keys from here; apps reuse the same constants.
 */
export const LOG_FIELDS = {
  controller: 'controller',
  kind: 'kind',
  namespace: 'namespace',
  name: 'name',
  reconcileId: 'reconcileId',
  informer: 'informer',
  event: 'event',
  resourceVersion: 'resourceVersion',
  attempt: 'attempt',
  delayMs: 'delayMs',
  durationMs: 'durationMs',
  lease: 'lease',
  identity: 'identity',
  holder: 'holder',
  reason: 'reason',
  err: 'err',
} as const;

export type LogField = (typeof LOG_FIELDS)[keyof typeof LOG_FIELDS];
