import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seed003Scenario, type LocalCluster } from '@spiderpool/local-cluster';
import { startSpiderpoolCluster } from '../support/spiderpool-cluster.js';
import {
  localClusterSkip,
  waitForRunningPods,
  workspaceRoot,
  type PodView,
} from '../support/local-cluster.gate.js';

const d = localClusterSkip() ? describe.skip : describe;

/** The DaemonSet of seed 003 ("Application across network zones"), verbatim. */
const seedDaemonSet = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: test-app
spec:
  selector:
    matchLabels:
      app: test-app
  template:
    metadata:
      annotations:
        ipam.spidernet.io/ippool: |-
          {
            "ipv4": ["test-ippool-6", "test-ippool-7"]
          }
      labels:
        app: test-app
    spec:
      containers:
      - name: test-app
        image: nginx
        imagePullPolicy: IfNotPresent
        ports:
        - name: http
          containerPort: 80
          protocol: TCP
`;

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

function inRange(ip: string, from: string, to: string): boolean {
  return ipToInt(ip) >= ipToInt(from) && ipToInt(ip) <= ipToInt(to);
}

// The real chain with our IPAM: each node's agent picks, of the two candidate pools, the one pinned to its node.
d('network zones (seed 003) with Spiderpool IPAM: node-pinned pools, cross-zone ping', () => {
  let cluster: LocalCluster | undefined;
  const lc = (): LocalCluster => {
    if (!cluster) throw new Error('local cluster did not start');
    return cluster;
  };
  let pods: PodView[] = [];
  const kubectlJson = async (args: string[]) => JSON.parse(await lc().kubectl([...args, '-o', 'json']));

  beforeAll(async () => {
    cluster = await startSpiderpoolCluster(seed003Scenario);
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  it('has the nodes of the guide, labelled by subnet', async () => {
    const out = await lc().kubectl(['get', 'nodes', '-L', 'node-subnet', '--no-headers']);
    expect(out).toMatch(/^controller-node-1\s+Ready.*subnet-6\s*$/m);
    expect(out).toMatch(/^worker-node-1\s+Ready.*subnet-7\s*$/m);
    const wide = await lc().kubectl(['get', 'nodes', '-o', 'wide', '--no-headers']);
    expect(wide).toMatch(/^controller-node-1\s.*\s10\.6\.168\.71\s/m);
  });

  it("applies the guide's pools", async () => {
    for (const file of ['003-2.yaml', '003-3.yaml']) {
      const text = readFileSync(
        join(workspaceRoot, 'libs', 'crd-types', 'src', 'fixtures', 'seeds', file),
        'utf8',
      );
      await lc().kubectl(['apply', '-f', '-'], { input: text });
    }
    // through our webhook: the VERSION column is filled in
    expect(await lc().kubectl(['get', 'spiderippool', '--no-headers'])).toMatch(
      /^test-ippool-7\s+4\s+10\.7\.0\.0\/16/m,
    );
  });

  it("gives each DaemonSet pod an IP of its node's subnet", async () => {
    await lc().kubectl(['apply', '-f', '-'], { input: seedDaemonSet });
    pods = await waitForRunningPods(kubectlJson, 'app=test-app', 2);
    const [onController, onWorker] = pods as [PodView, PodView];
    expect(onController.spec.nodeName).toBe('controller-node-1');
    expect(inRange(onController.status.podIP ?? '', '10.6.168.60', '10.6.168.69')).toBe(true);
    expect(onWorker.spec.nodeName).toBe('worker-node-1');
    expect(inRange(onWorker.status.podIP ?? '', '10.7.168.60', '10.7.168.69')).toBe(true);
  });

  it('pings across zones through the router (one hop: ttl 63)', async () => {
    const [a, b] = pods as [PodView, PodView];
    const r = await lc().execInPod('default', a.metadata.name, [
      'ping',
      '-c',
      '2',
      '-W',
      '2',
      b.status.podIP ?? '',
    ]);
    expect(r.stdout).toContain('2 received');
    expect(r.stdout).toContain('ttl=63');
  });

  it('accounts one IP in each pool', async () => {
    const out = await lc().kubectl(['get', 'sp', '--no-headers']);
    expect(out).toMatch(/^test-ippool-6\s+4\s+10\.6\.0\.0\/16\s+1\s+10\b/m);
    expect(out).toMatch(/^test-ippool-7\s+4\s+10\.7\.0\.0\/16\s+1\s+10\b/m);
  });
});
