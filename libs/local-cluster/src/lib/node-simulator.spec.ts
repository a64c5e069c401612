import type { V1Pod } from '@kubernetes/client-node';
import { pino } from 'pino';
import { FakeClusterApi } from './cluster-api.fake.js';
import { CniInvoker } from './cni-invoker.js';
import { FakeHostNetwork } from './host-network.fake.js';
import { FAILED_CREATE_POD_SANDBOX, NodeSimulator } from './node-simulator.js';
import { FakeProcessRunner, type RecordedRun } from './process-runner.fake.js';
import { ManualScheduler } from './scheduler.fake.js';

const NOW = new Date('2026-01-01T00:00:00Z');

function pod(name: string, uid: string, nodeName = 'worker-node-1'): V1Pod {
  return {
    metadata: { name, namespace: 'default', uid },
    spec: { nodeName, containers: [{ name: 'test-app', image: 'nginx' }] },
    status: { phase: 'Pending' },
  };
}

function setup(cni: (run: RecordedRun) => { exitCode: number; stdout: string; stderr: string }) {
  const api = new FakeClusterApi();
  const net = new FakeHostNetwork();
  const runner = new FakeProcessRunner(cni);
  const scheduler = new ManualScheduler();
  const invoker = new CniInvoker(runner, {
    binDir: '/cni',
    conf: { type: 'multus', name: 'multus-cni-network' },
  });
  const sim = new NodeSimulator(
    api,
    invoker,
    net,
    {
      name: 'worker-node-1',
      labels: { 'node-subnet': 'subnet-7' },
      internalIP: '10.7.168.73',
      kubeletVersion: 'v1.36.3',
      podNetnsName: (uid) => `lc-a1b2c3-pod-${uid}`,
      scheduler,
      now: () => NOW,
      heartbeatMs: 3_600_000,
    },
    pino({ level: 'silent' }),
  );
  return { api, net, runner, scheduler, sim };
}

const okAdd = (address: string) => (run: RecordedRun) =>
  run.options.env?.['CNI_COMMAND'] === 'ADD'
    ? { exitCode: 0, stdout: JSON.stringify({ cniVersion: '1.0.0', ips: [{ address }] }), stderr: '' }
    : { exitCode: 0, stdout: '', stderr: '' };

describe('NodeSimulator', () => {
  it('registers a Ready node with its labels, InternalIP and capacity', async () => {
    const { api, sim } = setup(okAdd('10.7.168.60/16'));
    await sim.start();
    const node = api.nodes.get('worker-node-1');
    expect(node?.metadata?.labels).toMatchObject({
      'node-subnet': 'subnet-7',
      'kubernetes.io/hostname': 'worker-node-1',
    });
    expect(node?.status?.addresses).toContainEqual({ type: 'InternalIP', address: '10.7.168.73' });
    expect(node?.status?.allocatable?.['pods']).toBe('110');
    expect(node?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node?.spec?.taints).toEqual([]);
    await sim.stop();
  });

  it('wires a new pod through CNI ADD in its own netns and reports it Running with the IP', async () => {
    const { api, net, runner, sim } = setup(okAdd('10.7.168.60/16'));
    await sim.start();
    api.putPod(pod('test-app-1', 'u1'));
    await sim.idle();
    expect(net.netns.has('lc-a1b2c3-pod-u1')).toBe(true);
    expect(runner.runs[0]?.options.env).toMatchObject({
      CNI_COMMAND: 'ADD',
      CNI_NETNS: '/var/run/netns/lc-a1b2c3-pod-u1',
      CNI_IFNAME: 'eth0',
    });
    const status = api.pods.get('default/test-app-1')?.status;
    expect(status).toMatchObject({
      phase: 'Running',
      podIP: '10.7.168.60',
      podIPs: [{ ip: '10.7.168.60' }],
      hostIP: '10.7.168.73',
    });
    expect(status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(status?.containerStatuses?.[0]).toMatchObject({
      name: 'test-app',
      ready: true,
      state: { running: {} },
    });
    expect(sim.sandboxUids()).toEqual(['u1']);
    await sim.stop();
  });

  it('ignores pods of other nodes', async () => {
    const { api, runner, sim } = setup(okAdd('10.7.168.60/16'));
    await sim.start();
    api.putPod(pod('elsewhere', 'u9', 'controller-node-1'));
    await sim.idle();
    expect(runner.runs).toEqual([]);
    await sim.stop();
  });

  it('turns a CNI failure into a FailedCreatePodSandBox event, cleans up and retries with backoff', async () => {
    let fail = true;
    const { api, net, scheduler, sim, runner } = setup((run) => {
      if (run.options.env?.['CNI_COMMAND'] === 'ADD' && fail) {
        return {
          exitCode: 1,
          stdout: JSON.stringify({ code: 11, msg: 'no IP addresses available in range set' }),
          stderr: '',
        };
      }
      return okAdd('10.7.168.61/16')(run);
    });
    await sim.start();
    api.putPod(pod('test-app-2', 'u2'));
    await sim.idle();
    expect(api.events).toEqual([
      expect.objectContaining({
        pod: 'default/test-app-2',
        type: 'Warning',
        reason: FAILED_CREATE_POD_SANDBOX,
        message: expect.stringContaining('no IP addresses available in range set'),
      }),
    ]);
    expect(runner.runs.map((r) => r.options.env?.['CNI_COMMAND'])).toEqual(['ADD', 'DEL']);
    expect(net.netns.size).toBe(0);
    expect(api.pods.get('default/test-app-2')?.status?.phase).toBe('Pending');
    expect(scheduler.delays()).toEqual([1_000]);

    fail = false;
    scheduler.fireAll();
    await sim.idle();
    expect(api.pods.get('default/test-app-2')?.status?.podIP).toBe('10.7.168.61');
    await sim.stop();
  });

  it('on graceful deletion runs CNI DEL, removes the netns and force-deletes the pod', async () => {
    const { api, net, runner, sim } = setup(okAdd('10.7.168.60/16'));
    await sim.start();
    api.putPod(pod('test-app-3', 'u3'));
    await sim.idle();
    api.markDeleting('default', 'test-app-3');
    await sim.idle();
    expect(runner.runs.map((r) => r.options.env?.['CNI_COMMAND'])).toEqual(['ADD', 'DEL']);
    expect(runner.runs[1]?.options.env?.['CNI_CONTAINERID']).toBe(
      runner.runs[0]?.options.env?.['CNI_CONTAINERID'],
    );
    expect(net.netns.size).toBe(0);
    expect(api.forceDeleted).toEqual(['default/test-app-3']);
    expect(api.pods.has('default/test-app-3')).toBe(false);
    expect(sim.sandboxUids()).toEqual([]);
    await sim.stop();
  });

  it('retries the status write without re-running CNI ADD', async () => {
    const { api, runner, scheduler, sim } = setup(okAdd('10.7.168.62/16'));
    await sim.start();
    api.failStatusWrites = new Error('apiserver unavailable');
    api.putPod(pod('test-app-4', 'u4'));
    await sim.idle();
    expect(api.pods.get('default/test-app-4')?.status?.phase).toBe('Pending');
    api.failStatusWrites = undefined;
    scheduler.fireAll();
    await sim.idle();
    expect(api.pods.get('default/test-app-4')?.status?.phase).toBe('Running');
    expect(runner.runs.map((r) => r.options.env?.['CNI_COMMAND'])).toEqual(['ADD']);
    await sim.stop();
  });

  it('tears every sandbox down on stop', async () => {
    const { api, net, runner, sim } = setup(okAdd('10.7.168.63/16'));
    await sim.start();
    api.putPod(pod('a', 'ua'));
    api.putPod(pod('b', 'ub'));
    await sim.idle();
    await sim.stop();
    expect(runner.runs.filter((r) => r.options.env?.['CNI_COMMAND'] === 'DEL')).toHaveLength(2);
    expect(net.netns.size).toBe(0);
  });
});
