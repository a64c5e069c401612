/** Log field names used by the webhook (HOUSE-STYLE §12). */
export const LOG_FIELDS = {
  kind: 'kind',
  name: 'name',
  namespace: 'namespace',
  operation: 'operation',
  admissionUid: 'admissionUid',
  webhook: 'webhook',
  path: 'path',
  certDir: 'certDir',
} as const;
