// Builds the OpenAPI 3 document of the agent API from the zod schemas and the operation table.
// Pure: returns a plain object; scripts/openapi.mjs serialises it to openapi.yaml.
import * as z from 'zod/mini';
import * as models from './models.js';
import { AGENT_ERROR_CODES, AGENT_ERROR_STATUS, AgentErrorBody } from './errors.js';
import { AGENT_API_BASE_PATH, AGENT_OPERATIONS, type AgentOperation } from './operations.js';

export const AGENT_API_TITLE = 'Spiderpool agent local API';
export const AGENT_API_VERSION = '1.0.0';

type Json = Record<string, unknown>;

const NAMED_SCHEMAS: Record<string, z.ZodMiniType> = {
  IpamAddArgs: models.IpamAddArgs,
  IpamAddResponse: models.IpamAddResponse,
  IpConfig: models.IpConfig,
  Route: models.Route,
  DNS: models.Dns,
  IpamDelArgs: models.IpamDelArgs,
  IpamBatchDelArgs: models.IpamBatchDelArgs,
  CoordinatorConfig: models.CoordinatorConfig,
  CoordinatorRoute: models.CoordinatorRoute,
  WorkloadEndpointStatus: models.WorkloadEndpointStatus,
  InterfaceDetail: models.InterfaceDetail,
  InterfaceRoute: models.InterfaceRoute,
  Error: AgentErrorBody,
};

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

function nameOf(schema: z.ZodMiniType): string {
  for (const [name, s] of Object.entries(NAMED_SCHEMAS)) if (s === schema) return name;
  throw new Error('schema used by an operation is not registered in NAMED_SCHEMAS');
}

function componentSchemas(): Json {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED_SCHEMAS)) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, {
    target: 'openapi-3.0',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  const sorted: Json = {};
  for (const name of Object.keys(out.schemas).sort()) {
    const { $id: _id, $schema: _s, ...rest } = out.schemas[name] as Json;
    sorted[name] = rest;
  }
  return sorted;
}

function queryParameters(query: z.ZodMiniObject): Json[] {
  const shape = query.def.shape as Record<string, z.ZodMiniType>;
  return Object.keys(shape).map((name) => {
    const optional = (shape[name] as { def: { type: string } }).def.type === 'optional';
    return {
      name,
      in: 'query',
      required: !optional,
      schema: { type: 'string', minLength: optional ? 0 : 1 },
    };
  });
}

function operationObject(o: AgentOperation): Json {
  const responses: Json = {
    '200': o.response
      ? { description: 'Success', content: { 'application/json': { schema: ref(nameOf(o.response)) } } }
      : { description: 'Success (empty body)' },
  };
  const codesByStatus = new Map<number, string[]>();
  const codes = [...new Set([...o.errors, 'INVALID_REQUEST', 'MALFORMED_REQUEST', 'INTERNAL'] as const)];
  for (const code of codes) {
    if (!o.body && code === 'MALFORMED_REQUEST') continue;
    if (!o.body && !o.query && code === 'INVALID_REQUEST') continue;
    const status = AGENT_ERROR_STATUS[code];
    codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
  }
  for (const status of [...codesByStatus.keys()].sort((a, b) => a - b)) {
    responses[String(status)] = {
      description: `Error; code one of: ${(codesByStatus.get(status) ?? []).join(', ')}`,
      content: { 'application/json': { schema: ref('Error') } },
    };
  }
  return {
    operationId: o.operationId,
    summary: o.summary,
    tags: [o.listener === 'unix' ? 'unix-socket' : 'health-port'],
    'x-spiderpool-client-timeout-ms': o.clientTimeoutMs,
    ...(o.query ? { parameters: queryParameters(o.query) } : {}),
    ...(o.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref(nameOf(o.body)) } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.0 document of the agent API (deterministic key order). */
export function buildOpenApiDocument(): Json {
  const paths: Record<string, Json> = {};
  const ops = Object.values(AGENT_OPERATIONS) as AgentOperation[];
  for (const o of [...ops].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const rel = o.path.slice(AGENT_API_BASE_PATH.length);
    paths[rel] = { ...(paths[rel] ?? {}), [o.method.toLowerCase()]: operationObject(o) };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: AGENT_API_TITLE,
      version: AGENT_API_VERSION,
      description:
        'HTTP/1.1 over the agent unix socket (and the health port for /runtime/*). JSON both ways; ' +
        `errors are {code, message, details?} with stable codes: ${AGENT_ERROR_CODES.join(', ')}.`,
    },
    servers: [{ url: AGENT_API_BASE_PATH }],
    tags: [
      { name: 'unix-socket', description: 'Served on the agent unix socket' },
      { name: 'health-port', description: 'Served on the TCP health port' },
    ],
    paths,
    components: { schemas: componentSchemas() },
  };
}
