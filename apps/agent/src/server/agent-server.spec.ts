import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { FakeCluster } from '../cluster/cluster.fake.js';
import { testAgentConfig } from '../config/schema.js';
import { addArgs, pool, podView } from '../ipam/fake-agent.fake.js';
import { AgentMetrics } from '../observability/agent-metrics.js';
import { httpCall } from './agent-http.fake.js';
import { startAgent, type RunningAgent } from './agent-server.js';

describe('agent server (unix socket + TCP probes)', () => {
  let dir: string;
  let cluster: FakeCluster;
  let agent: RunningAgent;
  let sock: { socketPath: string };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agent-'));
    cluster = new FakeCluster();
    cluster.addPool(
      pool('p', { subnet: '10.0.0.0/24', ips: ['10.0.0.10'], gateway: '10.0.0.1', default: true }),
    );
    const config = testAgentConfig({
      socketPath: join(dir, 'run', 'agent.sock'),
      healthPort: 0,
      metricsEnabled: true,
      metricsPort: 0,
      httpHost: '127.0.0.1',
      enableIPv6: false,
    });
    agent = await startAgent({
      config,
      logger: pino({ level: 'silent' }),
      metrics: new AgentMetrics(),
      cache: cluster,
      cacheLifecycle: {
        start: () => undefined,
        waitForSync: async () => undefined,
        stop: async () => undefined,
      },
      clusterApi: cluster,
      ippoolApi: cluster,
      endpointApi: cluster.endpointApi,
      events: cluster,
    });
    sock = { socketPath: agent.socketPath };
  });

  afterEach(async () => {
    await agent.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the socket with mode 0600 and answers health', async () => {
    expect((await stat(agent.socketPath)).mode & 0o777).toBe(0o600);
    expect((await httpCall(sock, 'GET', '/v1/ipam/healthy')).status).toBe(200);
  });

  it('allocates and releases through the agent-api contract', async () => {
    const p = podView('web');
    cluster.addPod(p);
    const add = await httpCall(sock, 'POST', '/v1/ipam/ip', addArgs(p));
    expect(add.status).toBe(200);
    expect(add.body).toEqual({
      ips: [
        {
          version: 4,
          address: '10.0.0.10/24',
          nic: 'eth0',
          ipPool: 'p',
          gateway: '10.0.0.1',
          enableGatewayDetection: false,
          enableIPConflictDetection: false,
        },
      ],
      routes: [{ ifName: 'eth0', dst: '0.0.0.0/0', gw: '10.0.0.1' }],
    });
    const wep = await httpCall(sock, 'GET', '/v1/workloadendpoint?podNamespace=default&podName=web');
    expect(wep.body).toMatchObject({
      podUID: 'uid-web',
      interfaces: [{ interface: 'eth0', ipv4: '10.0.0.10/24' }],
    });
    cluster.podsByKey.delete('default/web');
    const del = await httpCall(sock, 'DELETE', '/v1/ipam/ip', {
      containerID: 'c',
      ifName: 'eth0',
      podNamespace: 'default',
      podName: 'web',
      podUID: 'uid-web',
    });
    expect(del.status).toBe(200);
    expect(del.text).toBe('');
    expect(cluster.allocated('p').size).toBe(0);
  });

  it('maps typed failures to the error model with stable codes', async () => {
    const one = podView('one');
    const two = podView('two');
    cluster.addPod(one);
    cluster.addPod(two);
    await httpCall(sock, 'POST', '/v1/ipam/ip', addArgs(one));
    const full = await httpCall(sock, 'POST', '/v1/ipam/ip', addArgs(two));
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({
      code: 'IP_EXHAUSTED',
      message: expect.stringContaining('IPPools [p]'),
      details: { rejections: [{ pool: 'p', reason: 'Exhausted' }] },
    });
    const ghost = await httpCall(sock, 'POST', '/v1/ipam/ip', addArgs(podView('ghost')));
    expect(ghost).toMatchObject({ status: 404, body: { code: 'POD_NOT_FOUND' } });
    const invalid = await httpCall(sock, 'POST', '/v1/ipam/ip', { ifName: 'eth0' });
    expect(invalid).toMatchObject({
      status: 422,
      body: { code: 'INVALID_REQUEST', message: expect.stringContaining('containerID') },
    });
    const malformed = await httpCall(sock, 'POST', '/v1/ipam/ip', undefined, '{not json');
    expect(malformed).toMatchObject({ status: 400, body: { code: 'MALFORMED_REQUEST' } });
    expect(await httpCall(sock, 'GET', '/v1/nowhere')).toMatchObject({
      status: 404,
      body: { code: 'ROUTE_NOT_FOUND' },
    });
  });

  it('answers 503 AGENT_NOT_READY while the caches are not synced', async () => {
    cluster.isSynced = false;
    expect(await httpCall(sock, 'GET', '/v1/ipam/healthy')).toMatchObject({
      status: 503,
      body: { code: 'AGENT_NOT_READY' },
    });
    expect((await httpCall({ port: agent.healthPort }, 'GET', '/v1/runtime/readiness')).status).toBe(500);
    cluster.isSynced = true;
    expect((await httpCall({ port: agent.healthPort }, 'GET', '/v1/runtime/readiness')).status).toBe(200);
    expect((await httpCall({ port: agent.healthPort }, 'GET', '/v1/runtime/startup')).status).toBe(200);
  });

  it('exports the documented metric names', async () => {
    const p = podView('web');
    cluster.addPod(p);
    await httpCall(sock, 'POST', '/v1/ipam/ip', addArgs(p));
    await httpCall(sock, 'POST', '/v1/ipam/ip', addArgs(podView('ghost')));
    const m = await httpCall({ port: agent.metricsPort as number }, 'GET', '/metrics');
    expect(m.text).toContain('spiderpool_ipam_allocation_counts_total 2');
    expect(m.text).toContain('spiderpool_ipam_allocation_failure_counts_total 1');
    expect(m.text).toContain('spiderpool_ipam_allocation_err_internal_counts_total 1');
    expect(m.text).toContain('spiderpool_ipam_allocation_duration_seconds_bucket');
    expect(m.text).toContain('spiderpool_ipam_allocation_limit_duration_seconds_count 1');
    expect(m.text).toContain('spiderpool_ipam_release_counts_total 0');
  });

  it('serves GET /v1/coordinator/config with the contract body and typed errors', async () => {
    let reply = await httpCall(sock, 'GET', '/v1/coordinator/config?podNamespace=default&podName=web');
    expect(reply).toMatchObject({ status: 404, body: { code: 'COORDINATOR_NOT_FOUND' } });
    cluster.coordinators.set('default', {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderCoordinator',
      metadata: { name: 'default' },
      spec: { mode: 'auto', tunePodRoutes: true, hostRuleTable: 500, podRPFilter: 0, txQueueLen: 0 },
      status: { phase: 'Synced', serviceCIDR: ['10.96.0.0/12'] },
    });
    cluster.addPod(podView('web'));
    reply = await httpCall(sock, 'GET', '/v1/coordinator/config?podNamespace=default&podName=web');
    expect(reply).toMatchObject({
      status: 200,
      body: { mode: 'auto', overlayPodCIDR: [], serviceCIDR: ['10.96.0.0/12'], tunePodRoutes: true },
    });
    reply = await httpCall(sock, 'GET', '/v1/coordinator/config?podNamespace=default');
    expect(reply).toMatchObject({ status: 422, body: { code: 'INVALID_REQUEST' } });
  });
});
