import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@spiderpool/testing';
import { defaultScenario } from '@spiderpool/local-cluster';
import { localClusterSkip, type PodView } from '../support/local-cluster.gate.js';
import { harnessCluster, journey } from '../support/journey.js';

const d = localClusterSkip() ? describe.skip : describe;

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'test-app', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'test-app' } },
    template: {
      metadata: { labels: { app: 'test-app' } },
      spec: {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: 'test-app' } }, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        },
        containers: [
          {
            name: 'test-app',
            image: 'nginx',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 80 }],
          },
        ],
      },
    },
  },
};

d('local cluster: a Deployment spread over two simulated nodes', () => {
  const j = journey('deployment across nodes', harnessCluster(defaultScenario(2)));
  let pods: PodView[] = [];

  it('registers both nodes Ready', async () => {
    const out = await j.kubectl(['get', 'nodes', '--no-headers']);
    expect(out).toMatch(/^node-1\s+Ready/m);
    expect(out).toMatch(/^node-2\s+Ready/m);
  });

  it('runs the replicas on different nodes, each with an IP from the zone subnet', async () => {
    await j.apply(deployment);
    pods = await j.runningPods('app=test-app', 2);
    expect(pods.map((p) => p.spec.nodeName)).toEqual(['node-1', 'node-2']);
    for (const p of pods) expect(p.status.podIP).toMatch(/^10\.6\.\d+\.\d+$/);
    expect(pods[0]?.status.podIP).not.toBe(pods[1]?.status.podIP);
  });

  it('lets the pods ping each other from inside their network namespaces', async () => {
    const [a, b] = pods as [PodView, PodView];
    expect(await j.ping(a, b)).toContain('2 received');
    expect(await j.ping(b, a)).toContain('2 received');
  });

  it('deleting the Deployment runs CNI DEL and leaves no pod namespace behind', async () => {
    const c = j.cluster();
    const leases = join(c.stateDir, 'host-local', 'lc-underlay');
    const leasedIPs = () => readdirSync(leases).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f));
    expect(leasedIPs().sort()).toEqual(pods.map((p) => p.status.podIP).sort());

    await c.kubectl(['delete', 'deployment', 'test-app', '--wait=false']);
    await waitFor(async () => (await j.kubectlJson(['get', 'pods', '-l', 'app=test-app'])).items.length === 0, {
      timeoutMs: 120_000,
      intervalMs: 500,
      description: 'the Deployment pods to be gone',
    });
    await Promise.all(c.nodes.map((n) => n.idle()));
    expect(c.nodes.flatMap((n) => n.sandboxUids())).toEqual([]);
    const podNetns = (await c.net.listNetns()).filter((ns) => ns.startsWith(`lc-${c.runId}-pod-`));
    expect(podNetns).toEqual([]);
    // host-local releases a lease only on CNI DEL
    expect(leasedIPs()).toEqual([]);
  });
});
