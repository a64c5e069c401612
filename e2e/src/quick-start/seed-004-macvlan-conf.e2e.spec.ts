import { seed004Scenario } from '@spiderpool/local-cluster';
import { localClusterSkip, type PodView } from '../support/local-cluster.gate.js';
import { harnessCluster, inRange, journey, seedWorkload } from '../support/journey.js';

const d = localClusterSkip() ? describe.skip : describe;

// The harness alone (no components, so no controller to render SpiderMultusConfigs): the NAD kube-system/macvlan-conf
// is written directly — a bridge network on the 172.18.0.0/16 underlay with host-local IPAM over the pool's range.
// It pins the harness' own NAD path and Multus' network-status annotation; seed-004-spiderpool-ipam runs the guide
// with our components and a SpiderMultusConfig.
d('quick start (seed 004): pods on the macvlan-conf network get underlay IPs and reach each other', () => {
  const j = journey('seed 004 (harness)', harnessCluster(seed004Scenario));
  let pods: PodView[] = [];

  it("applies the guide's pool and has the macvlan-conf NAD", async () => {
    await j.applySeed('004-2.yaml');
    expect(
      await j.kubectl(['get', 'network-attachment-definitions.k8s.cni.cncf.io', '-n', 'kube-system', '-o', 'name']),
    ).toContain('macvlan-conf');
  });

  it('runs the Deployment with IPs from the pool range, selected through the pod annotation', async () => {
    const app = seedWorkload(seed004Scenario);
    await j.kubectl(['create', '-f', '-'], { input: app.manifest });
    pods = await j.runningPods(app.selector, app.replicas);
    for (const p of pods) expect(inRange(p.status.podIP ?? '', '172.18.30.131', '172.18.30.140')).toBe(true);
    const status = await j.kubectl([
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
    const out = await j.ping(a, b);
    expect(out).toContain('2 received');
    expect(out).toContain('ttl=64');
  });
});
