import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seed004Scenario, startLocalCluster, type LocalCluster } from '@spiderpool/local-cluster';
import {
  e2eLogger,
  localClusterSkip,
  waitForRunningPods,
  workspaceRoot,
  type PodView,
} from '../support/local-cluster.gate.js';

const d = localClusterSkip() ? describe.skip : describe;

/** The Deployment of seed 004 ("Macvlan quick start"), verbatim (its Service needs kube-proxy: not covered). */
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

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

// The harness alone (no components): the NAD kube-system/macvlan-conf is a bridge network on the 172.18.0.0/16
// underlay with host-local IPAM over the pool's range. seed-004-spiderpool-ipam runs the same guide with our IPAM.
d('quick start (seed 004): pods on the macvlan-conf network get underlay IPs and reach each other', () => {
  let cluster: LocalCluster | undefined;
  let pods: PodView[] = [];
  const lc = (): LocalCluster => {
    if (!cluster) throw new Error('local cluster did not start');
    return cluster;
  };
  const kubectlJson = async (args: string[]) => JSON.parse(await lc().kubectl([...args, '-o', 'json']));

  beforeAll(async () => {
    cluster = await startLocalCluster({ ...seed004Scenario, logger: e2eLogger(), workspaceRoot });
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  it("applies the guide's pool and has the macvlan-conf NAD", async () => {
    const pool = readFileSync(
      join(workspaceRoot, 'libs', 'crd-types', 'src', 'fixtures', 'seeds', '004-2.yaml'),
      'utf8',
    );
    await lc().kubectl(['apply', '-f', '-'], { input: pool });
    expect(
      await lc().kubectl([
        'get',
        'network-attachment-definitions.k8s.cni.cncf.io',
        '-n',
        'kube-system',
        '-o',
        'name',
      ]),
    ).toContain('macvlan-conf');
  });

  it('runs the Deployment with IPs from the pool range, selected through the pod annotation', async () => {
    await lc().kubectl(['create', '-f', '-'], { input: seedDeployment });
    pods = await waitForRunningPods(kubectlJson, 'app=test-app', 2);
    for (const p of pods) {
      const ip = ipToInt(p.status.podIP ?? '');
      expect(ip >= ipToInt('172.18.30.131') && ip <= ipToInt('172.18.30.140')).toBe(true);
    }
    const status = await lc().kubectl([
      'get',
      'pod',
      pods[0]?.metadata.name ?? '',
      '-o',
      "jsonpath={.metadata.annotations['k8s\\.v1\\.cni\\.cncf\\.io/network-status']}",
    ]);
    expect(JSON.parse(status)[0]).toMatchObject({ name: 'kube-system/macvlan-conf', default: true });
  });

  it('pings pod to pod on the same underlay (no router hop: ttl 64)', async () => {
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
    expect(r.stdout).toContain('ttl=64');
  });
});
