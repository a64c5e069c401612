import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AgentProtocolError,
  AgentRejectedError,
  AgentTimeoutError,
  AgentUnavailableError,
} from '../errors.js';
import { startFakeAgentServer, type FakeAgentServer } from './agent-server.fake.js';
import { HttpAgentClient } from './http-agent-client.js';

const ADD = {
  containerID: 'c1',
  ifName: 'eth0',
  netNamespace: '/n',
  podNamespace: 'ns',
  podName: 'p',
  podUID: 'u',
};

describe('HttpAgentClient over a unix socket', () => {
  let dir: string;
  let agent: FakeAgentServer;
  let client: HttpAgentClient;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-client-'));
    agent = await startFakeAgentServer(join(dir, 'agent.sock'));
    client = new HttpAgentClient({ socketPath: agent.socketPath });
  });
  afterEach(async () => {
    await agent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('allocates, releases and checks health with validated payloads', async () => {
    await client.healthy();
    const resp = await client.allocate(ADD);
    expect(resp.ips[0]).toMatchObject({ version: 4, nic: 'eth0' });
    expect(agent.held.size).toBe(1);
    await client.release({
      containerID: 'c1',
      ifName: 'eth0',
      podNamespace: 'ns',
      podName: 'p',
      podUID: 'u',
    });
    expect(agent.held.size).toBe(0);
    expect(agent.requests).toEqual(['GET /v1/ipam/healthy', 'POST /v1/ipam/ip', 'DELETE /v1/ipam/ip']);
  });

  it('surfaces the agent error model as AgentRejectedError with the stable code', async () => {
    agent.failNext('POST /v1/ipam/ip', 'IP_EXHAUSTED', 'all IP addresses used out');
    const err = await client.allocate(ADD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentRejectedError);
    expect(err).toMatchObject({ agentCode: 'IP_EXHAUSTED', httpStatus: 409, outcomeUnknown: false });
  });

  it('keeps the 521/522 statuses of batch release', async () => {
    agent.failNext('DELETE /v1/ipam/ips', 'RELEASE_FORBIDDEN_STATEFUL');
    const err = await client
      .releaseAll({
        containerID: 'c1',
        podNamespace: 'ns',
        podName: 'p',
        podUID: 'u',
        isReleaseConflictIPs: true,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ agentCode: 'RELEASE_FORBIDDEN_STATEFUL', httpStatus: 522 });
  });

  it('refuses to send a request that violates the contract', async () => {
    const err = await client
      .allocate({ ...ADD, containerID: undefined as unknown as string })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentProtocolError);
    expect(agent.requests).toEqual([]);
  });

  it('reports a missing socket as unavailable (nothing sent)', async () => {
    const c = new HttpAgentClient({ socketPath: join(dir, 'missing.sock') });
    const err = await c.healthy().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentUnavailableError);
    expect(err).toMatchObject({ outcomeUnknown: false });
  });
});

describe('HttpAgentClient against a misbehaving server', () => {
  let dir: string;
  let server: Server;
  let handler: (res: import('node:http').ServerResponse, url: string) => void;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'agent-client-'));
    server = createServer((req, res) => handler(res, req.url ?? ''));
    await new Promise<void>((r) => server.listen(join(dir, 's.sock'), () => r()));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('bounds every call by its timeout and marks the outcome unknown', async () => {
    handler = () => undefined; // never answers
    const c = new HttpAgentClient({ socketPath: join(dir, 's.sock'), timeoutsMs: { postIpamIp: 50 } });
    const err = await c.allocate(ADD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentTimeoutError);
    expect(err).toMatchObject({ outcomeUnknown: true });
  });

  it('rejects a 200 whose body breaks the schema (ips: null)', async () => {
    handler = (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ips":null}');
    const c = new HttpAgentClient({ socketPath: join(dir, 's.sock') });
    const err = await c.allocate(ADD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentProtocolError);
    expect((err as Error).message).toContain('ips');
  });

  it('treats an upstream-style bare string error body as a protocol error', async () => {
    handler = (res) => res.writeHead(500).end('"failed to get Pod ns/p"');
    const c = new HttpAgentClient({ socketPath: join(dir, 's.sock') });
    const err = await c.allocate(ADD).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentProtocolError);
    expect((err as Error).message).toContain('[500]');
  });

  it('sends workload endpoint and coordinator lookups as query parameters, without a body', async () => {
    let seen = '';
    handler = (res, url) => {
      seen = url;
      res
        .writeHead(404, { 'Content-Type': 'application/json' })
        .end('{"code":"COORDINATOR_NOT_FOUND","message":"none"}');
    };
    const c = new HttpAgentClient({ socketPath: join(dir, 's.sock') });
    const err = await c.coordinatorConfig({ podNamespace: 'ns', podName: 'p 1' }).catch((e: unknown) => e);
    expect(seen).toBe('/v1/coordinator/config?podNamespace=ns&podName=p+1');
    expect(err).toMatchObject({ agentCode: 'COORDINATOR_NOT_FOUND' });
  });
});
