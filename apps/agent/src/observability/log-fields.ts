import { LOG_FIELDS } from '@spiderpool/k8s-runtime';

/** Log keys of the agent: the shared runtime vocabulary plus the IPAM request fields (house style §12). */
export const AGENT_LOG_FIELDS = {
  ...LOG_FIELDS,
  containerId: 'containerId',
  ifName: 'ifName',
  netns: 'netns',
  podUid: 'podUid',
  pool: 'pool',
  ip: 'ip',
  batch: 'batch',
  operation: 'operation',
  code: 'code',
} as const;
