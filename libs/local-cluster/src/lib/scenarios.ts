import type { NetworkAttachmentSpec } from './local-cluster.js';
import type { SimulatedNode, Zone } from './topology.js';

/** A named topology the CLI and the journeys start from. */
export interface Scenario {
  name: string;
  description: string;
  zones: Zone[];
  nodes: SimulatedNode[];
  networkAttachments?: NetworkAttachmentSpec[];
}

/** `count` nodes in one zone (10.6.0.0/16 behind 10.6.0.1). */
export function defaultScenario(count: number): Scenario {
  return {
    name: 'default',
    description: `${count} simulated node(s) on one underlay zone`,
    zones: [{ name: 'zone-a', subnet: '10.6.0.0/16', gateway: '10.6.0.1' }],
    nodes: Array.from({ length: count }, (_, i) => ({ name: `node-${i + 1}`, zone: 'zone-a', labels: {} })),
  };
}

/** Seed 003 (application across network zones): two nodes in two subnets, labelled `node-subnet=subnet-N`. */
export const seed003Scenario: Scenario = {
  name: 'seed-003',
  description: 'two zones 10.6.0.0/16 and 10.7.0.0/16, one node each (seed 003)',
  zones: [
    {
      name: 'subnet-6',
      subnet: '10.6.0.0/16',
      gateway: '10.6.0.1',
      rangeStart: '10.6.168.60',
      rangeEnd: '10.6.168.69',
    },
    {
      name: 'subnet-7',
      subnet: '10.7.0.0/16',
      gateway: '10.7.0.1',
      rangeStart: '10.7.168.60',
      rangeEnd: '10.7.168.69',
    },
  ],
  nodes: [
    {
      name: 'controller-node-1',
      zone: 'subnet-6',
      labels: { 'node-subnet': 'subnet-6' },
      internalIP: '10.6.168.71',
    },
    {
      name: 'worker-node-1',
      zone: 'subnet-7',
      labels: { 'node-subnet': 'subnet-7' },
      internalIP: '10.7.168.73',
    },
  ],
};

/** Seed 004 (macvlan quick start): one 172.18.0.0/16 underlay, two nodes, NAD `kube-system/macvlan-conf`. */
export const seed004Scenario: Scenario = {
  name: 'seed-004',
  description: 'one zone 172.18.0.0/16, two nodes, NAD kube-system/macvlan-conf (seed 004)',
  zones: [
    {
      name: 'underlay',
      subnet: '172.18.0.0/16',
      gateway: '172.18.0.1',
      rangeStart: '172.18.30.131',
      rangeEnd: '172.18.30.140',
    },
  ],
  nodes: [
    { name: 'ipv4-control-plane', zone: 'underlay', labels: {} },
    { name: 'ipv4-worker', zone: 'underlay', labels: {} },
  ],
  networkAttachments: [{ name: 'macvlan-conf', namespace: 'kube-system', zone: 'underlay' }],
};

export function scenarioByName(name: string, nodeCount: number): Scenario | undefined {
  if (name === 'default') return defaultScenario(nodeCount);
  return [seed003Scenario, seed004Scenario].find((s) => s.name === name);
}
