import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seed004Scenario, type LocalCluster } from '@spiderpool/local-cluster';
import { waitFor } from '@spiderpool/testing';
import {
  localClusterSkip,
  waitForRunningPods,
  workspaceRoot,
  type PodView,
} from '../support/local-cluster.gate.js';
import { startSpiderpoolCluster } from '../support/spiderpool-cluster.js';

const d = localClusterSkip() ? describe.skip : describe;

/** The Deployment of seed 004 ("Macvlan quick start"), verbatim. */
const seedDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: test-app
spec:
  replicas: 2
  selector:
    matchLabels:
      app: test-app
  template:
    metadata:
      annotations:
        ipam.spidernet.io/ippool: |-
          {
            "ipv4": ["ippool-test"]
          }
        v1.multus-cni.io/default-network: kube-system/macvlan-conf
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

const ipToInt = (ip: string): number => ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);

interface PoolView {
  metadata: { name: string };
  status?: { allocatedIPCount?: number; totalIPCount?: number; allocatedIPs?: string };
}

// The real chain: Multus → bridge (macvlan stand-in) → our `spiderpool` IPAM → the node's agent → the apiserver.
d('quick start (seed 004) with Spiderpool IPAM: pool, NAD, Deployment, release', () => {
  let cluster: LocalCluster | undefined;
  let pods: PodView[] = [];
  const lc = (): LocalCluster => {
    if (!cluster) throw new Error('local cluster did not start');
    return cluster;
  };
  const kubectlJson = async (args: string[]) => JSON.parse(await lc().kubectl([...args, '-o', 'json']));
  const pool = async (): Promise<PoolView> => kubectlJson(['get', 'spiderippool', 'ippool-test']);

  beforeAll(async () => {
    cluster = await startSpiderpoolCluster(seed004Scenario, { withNetworkAttachments: true });
    process.stderr.write(`[e2e-local] seed 004 + spiderpool: cluster up in ${cluster.startupMs} ms\n`);
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  it("creates the guide's pool through our webhook (mutations visible)", async () => {
    const text = readFileSync(
      join(workspaceRoot, 'libs', 'crd-types', 'src', 'fixtures', 'seeds', '004-2.yaml'),
      'utf8',
    );
    await lc().kubectl(['apply', '-f', '-'], { input: text });
    const created = await kubectlJson(['get', 'spiderippool', 'ippool-test']);
    // the mutating webhook adds the finalizer and the ipVersion default (the VERSION column)
    expect(created.spec.ipVersion).toBe(4);
    expect(created.metadata.finalizers).toContain('spiderpool.spidernet.io');
    expect(await lc().kubectl(['get', 'spiderippool', 'ippool-test', '--no-headers'])).toMatch(
      /^ippool-test\s+4\s+172\.18\.0\.0\/16/,
    );
  });

  // A NAD, not a SpiderMultusConfig: the controller's SMC reconciler is not wired into its app module yet.
  it('has kube-system/macvlan-conf: the bridge stand-in with ipam type spiderpool', async () => {
    const nad = JSON.parse(
      await lc().kubectl([
        'get',
        'network-attachment-definitions.k8s.cni.cncf.io',
        '-n',
        'kube-system',
        'macvlan-conf',
        '-o',
        'json',
      ]),
    ) as { spec: { config: string } };
    expect(JSON.parse(nad.spec.config)).toMatchObject({
      name: 'macvlan-conf',
      type: 'bridge',
      ipam: { type: 'spiderpool' },
    });
  });

  it('runs the Deployment with IPs from ippool-test and a SpiderEndpoint per pod', async () => {
    await lc().kubectl(['create', '-f', '-'], { input: seedDeployment });
    pods = await waitForRunningPods(kubectlJson, 'app=test-app', 2);
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBeGreaterThanOrEqual(1);
    for (const p of pods) {
      const ip = ipToInt(p.status.podIP ?? '');
      expect(ip >= ipToInt('172.18.30.131') && ip <= ipToInt('172.18.30.140')).toBe(true);
    }
    const endpoints = (await kubectlJson(['get', 'spiderendpoints', '-n', 'default'])) as {
      items: { metadata: { name: string }; status?: { current?: { ips?: { ipv4?: string }[] } } }[];
    };
    expect(endpoints.items.map((e) => e.metadata.name).sort()).toEqual(
      pods.map((p) => p.metadata.name).sort(),
    );
    for (const e of endpoints.items) {
      const pod = pods.find((p) => p.metadata.name === e.metadata.name);
      expect(e.status?.current?.ips?.[0]?.ipv4?.split('/')[0]).toBe(pod?.status.podIP);
    }
  });

  it('shows ALLOCATED-IP-COUNT 2 / TOTAL-IP-COUNT 10 on the pool', async () => {
    const status = await waitFor(
      async () => {
        const p = await pool();
        return p.status?.allocatedIPCount === 2 && p.status.totalIPCount === 10 ? p.status : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'ippool-test status 2/10' },
    );
    expect(status).toMatchObject({ allocatedIPCount: 2, totalIPCount: 10 });
    expect(await lc().kubectl(['get', 'sp', 'ippool-test', '--no-headers'])).toMatch(
      /^ippool-test\s+4\s+172\.18\.0\.0\/16\s+2\s+10\b/,
    );
  });

  it('pings pod to pod on the underlay', async () => {
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
  });

  it('returns every IP and removes every SpiderEndpoint when the Deployment is deleted', async () => {
    await lc().kubectl(['delete', 'deployment', 'test-app', '--wait=false']);
    await waitFor(
      async () => {
        const [p, eps] = await Promise.all([pool(), kubectlJson(['get', 'spiderendpoints', '-A'])]);
        return (p.status?.allocatedIPCount ?? 0) === 0 && (eps as { items: unknown[] }).items.length === 0
          ? true
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, description: 'allocatedIPCount 0 and no SpiderEndpoints' },
    );
    const p = await pool();
    expect(p.status?.allocatedIPCount ?? 0).toBe(0);
    expect(JSON.parse(p.status?.allocatedIPs ?? '{}')).toEqual({});
  });
});
