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
  /** Run our components with `ipam.enableIPv6` (dual-stack scenarios); default IPv4 only. */
  enableIPv6?: boolean;
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
  multusConfigs: [
    { name: 'macvlan-conf', namespace: 'kube-system', zone: 'underlay', seedFixture: '004-3.yaml' },
  ],
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

/**
 * Seed 000 (Alibaba Cloud, two NICs): each "host NIC" is a zone bridge of its own — eth0 on 172.31.192.0/20 behind
 * 172.31.207.253, eth1 on 192.168.0.0/24 behind 192.168.0.253 (the guide's subnets and gateways) — and the nodes are
 * the guide's `master` and `worker` (InternalIPs as in its `kubectl get nodes`). The guide's ipvlan SMCs
 * `kube-system/ipvlan-eth0` / `ipvlan-eth1` become `cniType: custom` bridge configs with our IPAM (no ipvlan here).
 * Pods carry only the guide's annotations: eth0 through `v1.multus-cni.io/default-network`, net1 through
 * `k8s.v1.cni.cncf.io/networks`; the pools are chosen by `default: true` + `nodeName` + `multusName`.
 */
export const seed000Scenario: Scenario = {
  name: 'seed-000',
  description: 'two NICs as two zones (172.31.192.0/20, 192.168.0.0/24), nodes master + worker (seed 000)',
  zones: [
    { name: 'eth0', subnet: '172.31.192.0/20', gateway: '172.31.207.253' },
    { name: 'eth1', subnet: '192.168.0.0/24', gateway: '192.168.0.253' },
  ],
  nodes: [
    { name: 'master', zone: 'eth0', labels: {}, internalIP: '172.31.199.183' },
    { name: 'worker', zone: 'eth0', labels: {}, internalIP: '172.31.199.184' },
  ],
  multusConfigs: [
    { name: 'ipvlan-eth0', namespace: 'kube-system', zone: 'eth0' },
    { name: 'ipvlan-eth1', namespace: 'kube-system', zone: 'eth1' },
  ],
  workload: {
    fixtures: ['000-3.yaml', '000-4.yaml', '000-5.yaml', '000-6.yaml'],
    manifest: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  labels:
    app: test-app-1
  name: test-app-1
  namespace: default
spec:
  selector:
    matchLabels:
      app: test-app-1
  template:
    metadata:
      labels:
        app: test-app-1
      annotations:
        v1.multus-cni.io/default-network: kube-system/ipvlan-eth0
        k8s.v1.cni.cncf.io/networks: kube-system/ipvlan-eth1
    spec:
      containers:
      - image: busybox
        command: ["sleep", "3600"]
        imagePullPolicy: IfNotPresent
        name: test-app-1
`,
    selector: 'app=test-app-1',
    replicas: 2,
  },
};

/**
 * Seed 001 (AWS, IPv4 + IPv6): one host NIC `ens5` as one zone bridge carrying the guide's four subnets — each node
 * has its own IPv4 subnet and IPv6 /64, as in a VPC whose instances sit in different subnets — with every gateway
 * (172.31.16.1, 172.31.32.1, 2406:da1e:c4:ed01::1, 2406:da1e:c4:ed02::1) on the router link, so pods of the two
 * nodes reach each other through the router as through the VPC router. Nodes `master` and `worker1` (InternalIPs
 * as the guide exports them). The guide's ipvlan SMC `kube-system/ipvlan-ens5` becomes a `cniType: custom` bridge
 * config with our IPAM; the app is the guide's `nginx-lb` Deployment, which names no pool.
 */
export const seed001Scenario: Scenario = {
  name: 'seed-001',
  description: 'one NIC ens5 with per-node IPv4 + IPv6 subnets, nodes master + worker1 (seed 001, AWS)',
  zones: [
    {
      name: 'ens5',
      subnet: '172.31.16.0/20',
      gateway: '172.31.16.1',
      extraSubnets: [
        { subnet: '172.31.32.0/24', gateway: '172.31.32.1' },
        { subnet: '2406:da1e:c4:ed01::/64', gateway: '2406:da1e:c4:ed01::1' },
        { subnet: '2406:da1e:c4:ed02::/64', gateway: '2406:da1e:c4:ed02::1' },
      ],
    },
  ],
  nodes: [
    { name: 'master', zone: 'ens5', labels: {}, internalIP: '172.31.18.11' },
    { name: 'worker1', zone: 'ens5', labels: {}, internalIP: '172.31.32.18' },
  ],
  multusConfigs: [{ name: 'ipvlan-ens5', namespace: 'kube-system', zone: 'ens5' }],
  enableIPv6: true,
  workload: {
    fixtures: ['001-2.yaml', '001-3.yaml', '001-4.yaml', '001-5.yaml'],
    manifest: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-lb
spec:
  selector:
    matchLabels:
      run: nginx-lb
  replicas: 2
  template:
    metadata:
      annotations:
        v1.multus-cni.io/default-network: "kube-system/ipvlan-ens5"
      labels:
        run: nginx-lb
    spec:
      containers:
      - name: nginx-lb
        image: nginx
        ports:
        - containerPort: 80
`,
    selector: 'run=nginx-lb',
    replicas: 2,
  },
};

export function scenarioByName(name: string, nodeCount: number): Scenario | undefined {
  if (name === 'default') return defaultScenario(nodeCount);
  return [seed000Scenario, seed001Scenario, seed003Scenario, seed004Scenario].find((s) => s.name === name);
}
