import { seed003Scenario } from '@spiderpool/local-cluster';
import { localClusterSkip, type PodView } from '../support/local-cluster.gate.js';
import { journey, seedWorkload } from '../support/journey.js';
import { spiderpoolCluster } from '../support/spiderpool-cluster.js';
import { expectSeed003Nodes, expectSeed003Placement } from '../support/seed-003.steps.js';

const d = localClusterSkip() ? describe.skip : describe;

// The real chain with our IPAM: each node's agent picks, of the two candidate pools, the one pinned to its node.
d('network zones (seed 003) with Spiderpool IPAM: node-pinned pools, cross-zone ping', () => {
  const j = journey('seed 003 + spiderpool', spiderpoolCluster(seed003Scenario), { startTimeoutMs: 600_000 });
  let pods: PodView[] = [];

  it('has the nodes of the guide, labelled by subnet', () => expectSeed003Nodes(j));

  it("applies the guide's pools", async () => {
    await j.applySeed('003-2.yaml', '003-3.yaml');
    // through our webhook: the VERSION column is filled in
    expect(await j.kubectl(['get', 'spiderippool', '--no-headers'])).toMatch(/^test-ippool-7\s+4\s+10\.7\.0\.0\/16/m);
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

  it('accounts one IP in each pool', async () => {
    const out = await j.kubectl(['get', 'sp', '--no-headers']);
    expect(out).toMatch(/^test-ippool-6\s+4\s+10\.6\.0\.0\/16\s+1\s+10\b/m);
    expect(out).toMatch(/^test-ippool-7\s+4\s+10\.7\.0\.0\/16\s+1\s+10\b/m);
  });
});
