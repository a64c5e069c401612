// In-memory AgentClient for unit tests: records calls, answers from a scripted allocation, and can
// be told to fail any operation with a given error.
import type {
  CoordinatorConfig,
  CoordinatorConfigQuery,
  IpamAddArgs,
  IpamAddResponse,
  IpamBatchDelArgs,
  IpamDelArgs,
  WorkloadEndpointQuery,
  WorkloadEndpointStatus,
} from '@spiderpool/agent-api';
import { AgentRejectedError } from '../errors.js';
import type { AgentClient } from './agent-client.port.js';

type Method = keyof AgentClient;

export interface FakeAgentCall {
  method: Method;
  args?: unknown;
}

export class FakeAgentClient implements AgentClient {
  readonly calls: FakeAgentCall[] = [];
  /** IPs held per containerID (allocate adds, release/releaseAll remove). */
  readonly held = new Map<string, IpamAddResponse>();
  private readonly failures = new Map<Method, unknown>();

  constructor(
    public allocation: IpamAddResponse = { ips: [] },
    public coordinator?: CoordinatorConfig,
  ) {}

  /** Make every later call of `method` throw `error`. */
  failWith(method: Method, error: unknown): this {
    this.failures.set(method, error);
    return this;
  }

  methods(): Method[] {
    return this.calls.map((c) => c.method);
  }

  private enter(method: Method, args?: unknown): void {
    this.calls.push(args === undefined ? { method } : { method, args });
    if (this.failures.has(method)) throw this.failures.get(method);
  }

  async healthy(): Promise<void> {
    this.enter('healthy');
  }

  async allocate(args: IpamAddArgs): Promise<IpamAddResponse> {
    this.enter('allocate', args);
    this.held.set(args.containerID, this.allocation);
    return structuredClone(this.allocation);
  }

  async release(args: IpamDelArgs): Promise<void> {
    this.enter('release', args);
    this.held.delete(args.containerID);
  }

  async releaseAll(args: IpamBatchDelArgs): Promise<void> {
    this.enter('releaseAll', args);
    this.held.delete(args.containerID);
  }

  async coordinatorConfig(query: CoordinatorConfigQuery): Promise<CoordinatorConfig> {
    this.enter('coordinatorConfig', query);
    if (!this.coordinator)
      throw new AgentRejectedError('COORDINATOR_NOT_FOUND', 404, 'coordinator config not found');
    return this.coordinator;
  }

  async workloadEndpoint(query: WorkloadEndpointQuery): Promise<WorkloadEndpointStatus> {
    this.enter('workloadEndpoint', query);
    throw new AgentRejectedError(
      'ENDPOINT_NOT_FOUND',
      404,
      `SpiderEndpoint not found for pod ${query.podNamespace}/${query.podName}`,
    );
  }
}
