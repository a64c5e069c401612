// Starts the real Nest HTTPS server on 127.0.0.1 with generated certs and a fake cluster reader.
import { request } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { pino } from 'pino';
import { genTestCerts } from './test-certs.fake.js';
import { review } from '../admission/admission-harness.fake.js';
import { FakeClusterReader } from '../cluster/cluster-reader.fake.js';
import { parseWebhookConfig, type WebhookConfig } from '../config/schema.js';
import { startWebhookServer, type RunningWebhook } from './webhook-server.js';

interface Reply {
  status: number;
  body: string;
  fingerprint: string;
}

function call(port: number, ca: Buffer, method: string, path: string, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, ca, agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, fingerprint }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('webhook HTTPS server', () => {
  let dir: string;
  let server: RunningWebhook;
  let ca: Buffer;
  let config: WebhookConfig;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wh-srv-'));
    await genTestCerts(dir, ['127.0.0.1']);
    ca = readFileSync(join(dir, 'ca.crt'));
    const parsed = parseWebhookConfig({
      SPIDERPOOL_WEBHOOK_PORT: '0',
      SPIDERPOOL_WEBHOOK_HOST: '127.0.0.1',
      SPIDERPOOL_WEBHOOK_CERT_DIR: dir,
      SPIDERPOOL_ENABLE_SPIDER_SUBNET: 'false',
    });
    if (!parsed.ok) throw new Error(parsed.issues.join());
    config = parsed.config;
    server = await startWebhookServer({ config, logger: pino({ level: 'silent' }), reader: new FakeClusterReader() });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the health check', async () => {
    const r = await call(server.port, ca, 'GET', '/webhook-health-check');
    expect(r.status).toBe(200);
  });

  it('mutates through the upstream path and returns a JSON patch', async () => {
    const kind = { kind: 'SpiderIPPool', resource: 'spiderippools' };
    const body = review(kind, 'CREATE', { metadata: { name: 'p' }, spec: { subnet: '10.0.0.0/24' } });
    const r = await call(server.port, ca, 'POST', '/mutate-spiderpool-spidernet-io-v2beta1-spiderippool', body);
    expect(r.status).toBe(200);
    const res = JSON.parse(r.body) as { response: { allowed: boolean; patchType: string; patch: string } };
    expect(res.response.allowed).toBe(true);
    expect(res.response.patchType).toBe('JSONPatch');
    expect(Buffer.from(res.response.patch, 'base64').toString()).toContain('"/spec/ipVersion"');
  });

  it('denies with a 422 status and causes inside a 200 review', async () => {
    const kind = { kind: 'SpiderReservedIP', resource: 'spiderreservedips' };
    const body = review(kind, 'CREATE', { metadata: { name: 'r' }, spec: { ipVersion: 4, ips: ['10.0.0.0/24'] } });
    const r = await call(server.port, ca, 'POST', '/validate-spiderpool-spidernet-io-v2beta1-spiderreservedip', body);
    const res = JSON.parse(r.body) as { response: { allowed: boolean; status: { code: number; message: string } } };
    expect(r.status).toBe(200);
    expect(res.response.allowed).toBe(false);
    expect(res.response.status.code).toBe(422);
    expect(res.response.status.message).toContain('SpiderReservedIP.spiderpool.spidernet.io "r" is invalid: spec.ips[0]');
  });

  it('explains a disabled SpiderSubnet feature with a 403, 404 for unknown paths, 400 for junk', async () => {
    const kind = { kind: 'SpiderSubnet', resource: 'spidersubnets' };
    const body = review(kind, 'CREATE', { metadata: { name: 's' }, spec: { subnet: '10.0.0.0/24' } });
    const r = await call(server.port, ca, 'POST', '/validate-spiderpool-spidernet-io-v2beta1-spidersubnet', body);
    expect(JSON.parse(r.body).response.status.code).toBe(403);
    expect((await call(server.port, ca, 'POST', '/validate-spiderpool-spidernet-io-v2beta1-spiderendpoint', body)).status).toBe(404);
    expect((await call(server.port, ca, 'POST', '/validate-spiderpool-spidernet-io-v2beta1-spiderippool', { hello: 1 })).status).toBe(400);
  });

  it('exposes request metrics with bounded labels', async () => {
    const r = await call(server.port, ca, 'GET', '/metrics');
    expect(r.body).toMatch(/spiderpool_webhook_requests_total\{kind="SpiderIPPool",operation="CREATE",webhook="mutate",allowed="true"\} \d+/);
    expect(r.body).toContain('spiderpool_webhook_request_duration_seconds_bucket');
  });

  it('reloads the serving certificate when the files rotate', async () => {
    const before = (await call(server.port, ca, 'GET', '/webhook-health-check')).fingerprint;
    await genTestCerts(dir, ['127.0.0.1']);
    const newCa = readFileSync(join(dir, 'ca.crt'));
    let after = before;
    for (let i = 0; i < 100 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await call(server.port, newCa, 'GET', '/webhook-health-check').then((x) => x.fingerprint, () => before);
    }
    expect(after).not.toBe(before);
  }, 30_000);
});
