import type { WireObject } from '../api-client/object-client.port.js';

export interface PodObject extends WireObject {
  spec?: { nodeName?: string; hostNetwork?: boolean; terminationGracePeriodSeconds?: number };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    podIPs?: Array<{ ip: string }>;
    containerStatuses?: Array<{ state?: { terminated?: { finishedAt?: string } } }>;
  };
}

export interface NodeObject extends WireObject {
  status?: { conditions?: Array<{ type: string; status: string }> };
}
