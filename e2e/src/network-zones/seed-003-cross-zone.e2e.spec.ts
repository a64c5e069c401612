import { seed003Scenario } from '@spiderpool/local-cluster';
import { localClusterSkip, type PodView } from '../support/local-cluster.gate.js';
import { harnessCluster, journey, seedWorkload } from '../support/journey.js';
import { expectSeed003Nodes, expectSeed003Placement } from '../support/seed-003.steps.js';

const d = localClusterSkip() ? describe.skip : describe;

// The harness alone (no components): IPAM is host-local over each zone's range; the pools are only applied.
// seed-003-spiderpool-ipam runs the same guide with our IPAM allocating from them.
d('network zones (seed 003): pods in two subnets reach each other through the zone gateways', () => {
  const j = journey('seed 003 (harness)', harnessCluster(seed003Scenario));
  let pods: PodView[] = [];

  it('has the nodes of the guide, labelled by subnet', () => expectSeed003Nodes(j));

  it("applies the guide's pools", async () => {
    await j.applySeed('003-2.yaml', '003-3.yaml');
    expect(await j.kubectl(['get', 'spiderippool', '--no-headers'])).toMatch(/^test-ippool-7\s+.*10\.7\.0\.0\/16/m);
  });

  it("gives each DaemonSet pod an IP of its node's subnet", async () => {
    const app = seedWorkload(seed003Scenario);
    await j.apply(app.manifest);
    pods = await j.runningPods(app.selector, app.replicas);
    expectSeed003Placement(pods);
  });

  it('pings across zones through the router (one hop: ttl 63)', async () => {
    const [a, b] = pods as [PodView, PodView];
    const out = await j.ping(a, b);
    expect(out).toContain('2 received');
    expect(out).toContain('ttl=63');
  });
});
