import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  AGENT_ERROR_STATUS,
  AGENT_OPERATIONS,
  AgentApiError,
  AgentErrorBody,
  IpamAddArgs,
  IpamAddResponse,
  buildOpenApiDocument,
  parseWire,
  parseWireOrThrow,
} from '../index.js';

describe('agent API models', () => {
  it('accepts empty required strings and null default pools, as the CNI sends them', () => {
    const r = parseWire(IpamAddArgs, {
      containerID: 'c1',
      ifName: 'eth0',
      netNamespace: '',
      podNamespace: '',
      podName: '',
      podUID: '',
      defaultIPv4IPPool: null,
    });
    expect(r.ok).toBe(true);
  });

  it('reports each missing field with its path', () => {
    const r = parseWire(IpamAddArgs, { ifName: 'eth0' });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues.map((i) => i.path)).toEqual(
        expect.arrayContaining(['containerID', 'netNamespace', 'podNamespace', 'podName', 'podUID']),
      );
  });

  it('rejects a response with null ips, a bad version or a bad MAC', () => {
    expect(parseWire(IpamAddResponse, { ips: null }).ok).toBe(false);
    expect(
      parseWire(IpamAddResponse, { ips: [{ version: 5, address: '10.0.0.1/24', nic: 'eth0' }] }).ok,
    ).toBe(false);
    expect(
      parseWire(IpamAddResponse, { ips: [{ version: 4, address: '10.0.0.1/24', nic: 'eth0', mac: 'zz' }] })
        .ok,
    ).toBe(false);
    expect(
      parseWire(IpamAddResponse, {
        ips: [{ version: 4, address: '10.0.0.1/24', nic: 'eth0', mac: '0A:bb:cc:dd:ee:ff' }],
      }).ok,
    ).toBe(true);
  });

  it('parseWireOrThrow raises INVALID_REQUEST with the issues as details', () => {
    let err: unknown;
    try {
      parseWireOrThrow(IpamAddArgs, {}, 'IpamAddArgs');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AgentApiError);
    expect((err as AgentApiError).code).toBe('INVALID_REQUEST');
    expect((err as AgentApiError).status).toBe(422);
    expect(parseWire(AgentErrorBody, (err as AgentApiError).toBody()).ok).toBe(true);
  });

  it('keeps the upstream batch-release statuses 521/522', () => {
    expect(AGENT_ERROR_STATUS.RELEASE_FORBIDDEN_STATELESS).toBe(521);
    expect(AGENT_ERROR_STATUS.RELEASE_FORBIDDEN_STATEFUL).toBe(522);
  });

  it('sends no body on GET operations (query parameters instead)', () => {
    for (const op of Object.values(AGENT_OPERATIONS)) {
      if (op.method === 'GET') expect('body' in op).toBe(false);
    }
  });
});

describe('openapi.yaml', () => {
  it('matches the document generated from the zod schemas (run nx run agent-api:generate)', () => {
    const onDisk = parse(readFileSync(join(import.meta.dirname, '../../openapi.yaml'), 'utf8'));
    expect(onDisk).toEqual(buildOpenApiDocument());
  });

  it('describes every operation with a bounded client timeout', () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(ops).toHaveLength(Object.keys(AGENT_OPERATIONS).length);
    for (const o of ops) expect(o['x-spiderpool-client-timeout-ms']).toBeGreaterThan(0);
  });
});
