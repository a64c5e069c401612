import type { PodView } from './local-cluster.gate.js';
import { inRange, type Journey } from './journey.js';

/** Seed 003's nodes: one per subnet, labelled `node-subnet`, the controller node at 10.6.168.71. */
export async function expectSeed003Nodes(j: Journey): Promise<void> {
  const out = await j.kubectl(['get', 'nodes', '-L', 'node-subnet', '--no-headers']);
  expect(out).toMatch(/^controller-node-1\s+Ready.*subnet-6\s*$/m);
  expect(out).toMatch(/^worker-node-1\s+Ready.*subnet-7\s*$/m);
  const wide = await j.kubectl(['get', 'nodes', '-o', 'wide', '--no-headers']);
  expect(wide).toMatch(/^controller-node-1\s.*\s10\.6\.168\.71\s/m);
}

/** One DaemonSet pod per node, each with an IP of its node's pool range (pods sorted by node). */
export function expectSeed003Placement(pods: PodView[]): void {
  const [onController, onWorker] = pods as [PodView, PodView];
  expect(onController.spec.nodeName).toBe('controller-node-1');
  expect(inRange(onController.status.podIP ?? '', '10.6.168.60', '10.6.168.69')).toBe(true);
  expect(onWorker.spec.nodeName).toBe('worker-node-1');
  expect(inRange(onWorker.status.podIP ?? '', '10.7.168.60', '10.7.168.69')).toBe(true);
}
