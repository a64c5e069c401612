import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SEED_FIXTURES_DIR,
  startLocalCluster,
  type LocalCluster,
  type Scenario,
} from '@spiderpool/local-cluster';
import { e2eLogger, waitForRunningPods, workspaceRoot, type PodView } from './local-cluster.gate.js';

/** The steps every journey shares, bound to the cluster its `beforeAll` started. */
export interface Journey {
  cluster(): LocalCluster;
  kubectl(args: string[], options?: { input?: string }): Promise<string>;
  kubectlJson<T = { items: PodView[] }>(args: string[]): Promise<T>;
  /** `kubectl apply -f` of a manifest (YAML/JSON text or an object). */
  apply(manifest: string | Record<string, unknown>): Promise<void>;
  /** `kubectl apply -f` of the seed guide's files (`004-2.yaml`, …), as the guide shows them. */
  applySeed(...files: string[]): Promise<void>;
  /** Waits until `count` pods match `selector`, Running with an IP; sorted by node. */
  runningPods(selector: string, count: number): Promise<PodView[]>;
  /** `ping -c 2` from inside `from`'s network namespace to `to`'s IP; the ping output. */
  ping(from: PodView, to: PodView): Promise<string>;
}

/**
 * Registers `beforeAll` (start the cluster, report its start-up time) and `afterAll` (tear it down) in the calling
 * `describe`, and returns the shared steps.
 */
export function journey(
  label: string,
  start: () => Promise<LocalCluster>,
  options: { startTimeoutMs?: number } = {},
): Journey {
  let current: LocalCluster | undefined;
  const cluster = (): LocalCluster => {
    if (!current) throw new Error('local cluster did not start');
    return current;
  };
  const kubectl = (args: string[], o?: { input?: string }) => cluster().kubectl(args, o);
  const kubectlJson = async <T>(args: string[]): Promise<T> =>
    JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
  const apply = async (manifest: string | Record<string, unknown>): Promise<void> => {
    await kubectl(['apply', '-f', '-'], {
      input: typeof manifest === 'string' ? manifest : JSON.stringify(manifest),
    });
  };

  beforeAll(async () => {
    current = await start();
    process.stderr.write(`[e2e-local] ${label}: cluster ${current.runId} up in ${current.startupMs} ms\n`);
  }, options.startTimeoutMs ?? 300_000);

  afterAll(async () => {
    await current?.stop();
  }, 120_000);

  return {
    cluster,
    kubectl,
    kubectlJson,
    apply,
    applySeed: async (...files) => {
      for (const file of files) await apply(seedFixture(file));
    },
    runningPods: (selector, count) => waitForRunningPods(kubectlJson, selector, count),
    ping: async (from, to) => {
      const r = await cluster().execInPod(from.metadata.namespace, from.metadata.name, [
        'ping',
        '-c',
        '2',
        '-W',
        '2',
        to.status.podIP ?? '',
      ]);
      return r.stdout;
    },
  };
}

/** A seed guide's manifest as parsed by crd-types' golden tests. */
export function seedFixture(file: string): string {
  return readFileSync(join(workspaceRoot, SEED_FIXTURES_DIR, file), 'utf8');
}

/** The harness alone (host-local IPAM, none of our components) on a scenario's topology and NADs. */
export function harnessCluster(scenario: Scenario): () => Promise<LocalCluster> {
  return () =>
    startLocalCluster({
      zones: scenario.zones,
      nodes: scenario.nodes,
      ...(scenario.networkAttachments ? { networkAttachments: scenario.networkAttachments } : {}),
      logger: e2eLogger(),
      workspaceRoot,
    });
}

/** The scenario's app (the guide's Deployment/DaemonSet). */
export function seedWorkload(scenario: Scenario): NonNullable<Scenario['workload']> {
  if (!scenario.workload) throw new Error(`scenario ${scenario.name} has no workload`);
  return scenario.workload;
}

const ipToInt = (ip: string): number => ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);

/** Is the IPv4 `ip` within `from`–`to` (inclusive)? */
export function inRange(ip: string, from: string, to: string): boolean {
  return ipToInt(ip) >= ipToInt(from) && ipToInt(ip) <= ipToInt(to);
}
