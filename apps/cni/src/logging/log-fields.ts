// Log field names shared by the CNI plugins (house style §12).
export const LOG_FIELD = {
  command: 'command',
  containerId: 'containerId',
  netns: 'netns',
  ifName: 'ifName',
  podNamespace: 'podNamespace',
  podName: 'podName',
  podUID: 'podUID',
  cniVersion: 'cniVersion',
  cniCode: 'cniCode',
  errorCode: 'errorCode',
  err: 'err',
} as const;
