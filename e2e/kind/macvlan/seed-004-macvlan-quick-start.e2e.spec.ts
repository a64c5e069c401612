// Seed 004 "Macvlan quick start" on kind: install Spiderpool with the guide's flags, see the default
// SpiderCoordinator Synced, create a SpiderIPPool and a macvlan SpiderMultusConfig, run a two-replica Deployment
// on them, and check the pods' IPs come from the pool and the pods reach each other and their Service.
import { buildAndLoadImages, createKindCluster, eventually, helmInstall, kindSkip, type KindCluster } from '../support/kind-cluster.js';

const skip = await kindSkip();
const d = skip ? describe.skip : describe;

interface Pod {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string };
}

/** IPs `first`..`last` (offsets from the network address) of an IPv4 subnet, as a pool range. */
function rangeIn(subnet: string, first: number, last: number): { range: string; within: (ip: string) => boolean } {
  const [net = ''] = subnet.split('/');
  const base = net.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const text = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  const toNum = (ip: string) => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return {
    range: `${text(base + first)}-${text(base + last)}`,
    within: (ip) => toNum(ip) >= base + first && toNum(ip) <= base + last,
  };
}

d('seed 004: macvlan quick start on kind', () => {
  let cluster: KindCluster;

  beforeAll(async () => {
    cluster = await createKindCluster('spiderpool-e2e');
    await buildAndLoadImages(cluster);
    await helmInstall(cluster, ['multus.multusCNI.defaultCniCRName=macvlan-conf', 'plugins.installCNI=true']);
  });

  afterAll(async () => {
    if (cluster && process.env['SPIDERPOOL_KIND_KEEP'] !== '1') await cluster.delete();
  });

  it('installs: agents on every node, controller and webhook ready, the default SpiderCoordinator Synced', async () => {
    const nodes = await cluster.kubectlJson<{ items: unknown[] }>(['get', 'nodes']);
    const ds = await cluster.kubectlJson<{ status: { numberReady: number } }>(['-n', 'kube-system', 'get', 'daemonset', 'spiderpool-agent']);
    expect(ds.status.numberReady).toBe(nodes.items.length);
    const coordinator = await eventually('SpiderCoordinator default Synced', async () => {
      const c = await cluster.kubectlJson<{ status?: { phase?: string; serviceCIDR?: string[] } }>(['get', 'spidercoordinators', 'default']);
      return c.status?.phase === 'Synced' ? c : undefined;
    });
    expect(coordinator.status?.serviceCIDR?.length).toBeGreaterThan(0);
    const nad = await cluster.kubectlJson<{ metadata: { name: string } }>(['-n', 'kube-system', 'get', 'network-attachment-definitions', 'macvlan-conf']);
    expect(nad.metadata.name).toBe('macvlan-conf');
  });

  it('pods of a Deployment get IPs from the pool and reach each other and their Service', async () => {
    const { subnet, gateway } = await cluster.nodeNetwork();
    const pool = rangeIn(subnet, 200, 209);
    await cluster.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderIPPool',
        metadata: { name: 'ippool-test' },
        spec: { ips: [pool.range], subnet, gateway, multusName: ['kube-system/macvlan-conf'] },
      }),
    );
    await cluster.kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderMultusConfig',
        metadata: { name: 'macvlan-conf', namespace: 'kube-system' },
        spec: { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
      }),
    );
    await eventually('NAD macvlan-conf rendered from the SpiderMultusConfig', async () => {
      const nad = await cluster.kubectlJson<{ spec: { config?: string } }>(['-n', 'kube-system', 'get', 'network-attachment-definitions', 'macvlan-conf']);
      return nad.spec.config?.includes('"macvlan"') ? nad : undefined;
    });
    await cluster.kubectl(
      ['create', '-f', '-'],
      [
        JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'test-app', namespace: 'default' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'test-app' } },
            template: {
              metadata: {
                labels: { app: 'test-app' },
                annotations: {
                  'ipam.spidernet.io/ippool': '{ "ipv4": ["ippool-test"] }',
                  'v1.multus-cni.io/default-network': 'kube-system/macvlan-conf',
                },
              },
              spec: {
                topologySpreadConstraints: [
                  { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'test-app' } } },
                ],
                tolerations: [{ operator: 'Exists' }],
                containers: [{ name: 'test-app', image: 'nginx', imagePullPolicy: 'IfNotPresent', ports: [{ name: 'http', containerPort: 80 }] }],
              },
            },
          },
        }),
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'test-app-svc', namespace: 'default' },
          spec: { type: 'ClusterIP', selector: { app: 'test-app' }, ports: [{ port: 80, targetPort: 80 }] },
        }),
      ].join('\n---\n'),
    );

    const pods = await eventually('2 Running test-app pods with IPs', async () => {
      const { items } = await cluster.kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', 'default', '-l', 'app=test-app']);
      const running = items.filter((p) => p.status.phase === 'Running' && p.status.podIP);
      return running.length === 2 ? running : undefined;
    });
    for (const p of pods) expect(pool.within(p.status.podIP ?? '')).toBe(true);

    const ippool = await cluster.kubectlJson<{ status: { allocatedIPCount?: number; totalIPCount?: number } }>(['get', 'spiderippool', 'ippool-test']);
    expect(ippool.status).toMatchObject({ allocatedIPCount: 2, totalIPCount: 10 });
    const endpoints = await cluster.kubectlJson<{ items: Array<{ metadata: { name: string } }> }>(['get', 'spiderendpoints', '-n', 'default']);
    expect(endpoints.items.map((e) => e.metadata.name).sort()).toEqual(pods.map((p) => p.metadata.name).sort());

    const [a, b] = pods as [Pod, Pod];
    const toPeer = await cluster.kubectl(['exec', '-n', 'default', a.metadata.name, '--', 'curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://${b.status.podIP}:80/`]);
    expect(toPeer).toBe('200');
    const svc = await cluster.kubectlJson<{ spec: { clusterIP: string } }>(['get', 'service', '-n', 'default', 'test-app-svc']);
    const toService = await cluster.kubectl(['exec', '-n', 'default', b.metadata.name, '--', 'curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://${svc.spec.clusterIP}:80/`]);
    expect(toService).toBe('200');
  });
});
