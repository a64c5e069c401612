// The operation table of the agent API: one entry per method+path. Clients and the server both
// read it (paths, where the input lives, default client timeouts), and openapi.yaml is generated from it.
import type * as z from 'zod/mini';
import {
  CoordinatorConfig,
  CoordinatorConfigQuery,
  IpamAddArgs,
  IpamAddResponse,
  IpamBatchDelArgs,
  IpamDelArgs,
  WorkloadEndpointQuery,
  WorkloadEndpointStatus,
} from './models.js';
import type { AgentErrorCode } from './errors.js';

export const AGENT_API_BASE_PATH = '/v1';
/** Default path of the agent's unix socket. */
export const DEFAULT_AGENT_SOCKET_PATH = '/var/run/spidernet/spiderpool.sock';

export const AGENT_PATHS = {
  ipamHealthy: '/v1/ipam/healthy',
  ipamIp: '/v1/ipam/ip',
  ipamIps: '/v1/ipam/ips',
  coordinatorConfig: '/v1/coordinator/config',
  workloadEndpoint: '/v1/workloadendpoint',
  runtimeStartup: '/v1/runtime/startup',
  runtimeReadiness: '/v1/runtime/readiness',
  runtimeLiveness: '/v1/runtime/liveness',
} as const;

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface AgentOperation {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  /** `unix` = the agent's unix socket; `tcp` = the health port (SPIDERPOOL_HEALTH_PORT). */
  readonly listener: 'unix' | 'tcp';
  readonly body?: z.ZodMiniType;
  readonly query?: z.ZodMiniObject;
  /** Schema of the 200 body; absent → empty body. */
  readonly response?: z.ZodMiniType;
  /** Error codes this operation may answer with, besides INVALID_REQUEST/MALFORMED_REQUEST/INTERNAL. */
  readonly errors: readonly AgentErrorCode[];
  /** Bound a client puts on the whole call, in milliseconds. */
  readonly clientTimeoutMs: number;
}

const op = <T extends AgentOperation>(o: T): T => o;

export const AGENT_OPERATIONS = {
  getIpamHealthy: op({
    operationId: 'getIpamHealthy',
    method: 'GET',
    path: AGENT_PATHS.ipamHealthy,
    summary: 'The agent serves IPAM requests (caches synced).',
    listener: 'unix',
    errors: ['AGENT_NOT_READY'],
    clientTimeoutMs: 10_000,
  }),
  postIpamIp: op({
    operationId: 'postIpamIp',
    method: 'POST',
    path: AGENT_PATHS.ipamIp,
    summary:
      'Allocate the IPs of one pod interface (CNI ADD). The response lists every NIC of the pod. ' +
      'An error response guarantees that nothing new stays allocated for this request.',
    listener: 'unix',
    body: IpamAddArgs,
    response: IpamAddResponse,
    errors: [
      'AGENT_NOT_READY',
      'POD_NOT_FOUND',
      'POD_NOT_ALIVE',
      'INVALID_ANNOTATION',
      'POOL_NOT_FOUND',
      'NO_AVAILABLE_POOL',
      'IP_EXHAUSTED',
      'RETRIES_EXHAUSTED',
      'QUEUE_FULL',
    ],
    clientTimeoutMs: 100_000,
  }),
  deleteIpamIp: op({
    operationId: 'deleteIpamIp',
    method: 'DELETE',
    path: AGENT_PATHS.ipamIp,
    summary: 'Release the IPs of a deleted pod (CNI DEL). Idempotent; a live pod keeps its IPs.',
    listener: 'unix',
    body: IpamDelArgs,
    errors: ['AGENT_NOT_READY', 'RETRIES_EXHAUSTED', 'QUEUE_FULL'],
    clientTimeoutMs: 100_000,
  }),
  deleteIpamIps: op({
    operationId: 'deleteIpamIps',
    method: 'DELETE',
    path: AGENT_PATHS.ipamIps,
    summary: 'Release every IP of a pod, alive or not (ADD rollback, IP-conflict clean-up).',
    listener: 'unix',
    body: IpamBatchDelArgs,
    errors: [
      'AGENT_NOT_READY',
      'ENDPOINT_NOT_FOUND',
      'ENDPOINT_UID_MISMATCH',
      'RELEASE_FORBIDDEN_STATELESS',
      'RELEASE_FORBIDDEN_STATEFUL',
      'RETRIES_EXHAUSTED',
      'QUEUE_FULL',
    ],
    clientTimeoutMs: 30_000,
  }),
  getCoordinatorConfig: op({
    operationId: 'getCoordinatorConfig',
    method: 'GET',
    path: AGENT_PATHS.coordinatorConfig,
    summary: 'Effective SpiderCoordinator settings for one pod.',
    listener: 'unix',
    query: CoordinatorConfigQuery,
    response: CoordinatorConfig,
    errors: ['AGENT_NOT_READY', 'COORDINATOR_NOT_FOUND', 'COORDINATOR_NOT_READY', 'POD_NOT_FOUND'],
    clientTimeoutMs: 30_000,
  }),
  getWorkloadEndpoint: op({
    operationId: 'getWorkloadEndpoint',
    method: 'GET',
    path: AGENT_PATHS.workloadEndpoint,
    summary: 'The SpiderEndpoint of one pod, as interface details.',
    listener: 'unix',
    query: WorkloadEndpointQuery,
    response: WorkloadEndpointStatus,
    errors: ['AGENT_NOT_READY', 'ENDPOINT_NOT_FOUND'],
    clientTimeoutMs: 30_000,
  }),
  getRuntimeStartup: op({
    operationId: 'getRuntimeStartup',
    method: 'GET',
    path: AGENT_PATHS.runtimeStartup,
    summary: 'Startup probe: the agent finished start-up.',
    listener: 'tcp',
    errors: ['AGENT_NOT_READY'],
    clientTimeoutMs: 5_000,
  }),
  getRuntimeReadiness: op({
    operationId: 'getRuntimeReadiness',
    method: 'GET',
    path: AGENT_PATHS.runtimeReadiness,
    summary: 'Readiness probe: the agent answers on its own unix socket.',
    listener: 'tcp',
    errors: ['AGENT_NOT_READY'],
    clientTimeoutMs: 5_000,
  }),
  getRuntimeLiveness: op({
    operationId: 'getRuntimeLiveness',
    method: 'GET',
    path: AGENT_PATHS.runtimeLiveness,
    summary: 'Liveness probe (same check as readiness).',
    listener: 'tcp',
    errors: ['AGENT_NOT_READY'],
    clientTimeoutMs: 5_000,
  }),
} as const;

export type AgentOperationId = keyof typeof AGENT_OPERATIONS;
