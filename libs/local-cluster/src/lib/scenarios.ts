import type { NetworkAttachmentSpec } from './local-cluster.js';
import type { MultusConfigSpec } from './multus-config.js';
import type { SimulatedNode, Zone } from './topology.js';

/** A named topology the CLI and the journeys start from. */
export interface Scenario {
  name: string;
  description: string;
  zones: Zone[];
  nodes: SimulatedNode[];
  /** NADs the harness writes itself (runs without our controller). */
  networkAttachments?: NetworkAttachmentSpec[];
  /** SpiderMultusConfigs applied once our components run; the controller renders their NADs. */
  multusConfigs?: MultusConfigSpec[];
  /** The guide's workload: manifests to apply once our components run (pool fixtures + the seed's app). */
  workload?: { fixtures: string[]; manifest: string; selector: string; replicas: number };
}

/** Where the seeds' manifests (as parsed by crd-types' golden tests) live, relative to the workspace root. */
export const SEED_FIXTURES_DIR = 'libs/crd-types/src/fixtures/seeds';

const APP_TEMPLATE = (
  kind: 'Deployment' | 'DaemonSet',
  pools: string[],
  extraAnnotation: string,
) => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: test-app
spec:${kind === 'Deployment' ? '\n  replicas: 2' : ''}
  selector:
    matchLabels:
      app: test-app
  template:
    metadata:
      annotations:
        ipam.spidernet.io/ippool: |-
          {
            "ipv4": [${pools.map((p) => JSON.stringify(p)).join(', ')}]
          }${extraAnnotation}
      labels:
        app: test-app
    spec:
      containers:
      - name: test-app
        image: nginx
        imagePullPolicy: IfNotPresent
`;

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
  workload: {
    fixtures: ['003-2.yaml', '003-3.yaml'],
    manifest: APP_TEMPLATE('DaemonSet', ['test-ippool-6', 'test-ippool-7'], ''),
    selector: 'app=test-app',
    replicas: 2,
  },
};

/**
 * Seed 004 (macvlan quick start): one 172.18.0.0/16 underlay, two nodes, `kube-system/macvlan-conf` — a
 * SpiderMultusConfig rendered by our controller, or (harness alone) a NAD written directly.
 */
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
  multusConfigs: [{ name: 'macvlan-conf', namespace: 'kube-system', zone: 'underlay', seedFixture: '004-3.yaml' }],
  workload: {
    fixtures: ['004-2.yaml'],
    manifest: APP_TEMPLATE(
      'Deployment',
      ['ippool-test'],
      '\n        v1.multus-cni.io/default-network: kube-system/macvlan-conf',
    ),
    selector: 'app=test-app',
    replicas: 2,
  },
};

export function scenarioByName(name: string, nodeCount: number): Scenario | undefined {
  if (name === 'default') return defaultScenario(nodeCount);
  return [seed003Scenario, seed004Scenario].find((s) => s.name === name);
}
