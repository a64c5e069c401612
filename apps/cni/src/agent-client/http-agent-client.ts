// AgentClient over HTTP/1.1 on the agent's unix socket (node:http with socketPath, one connection
// per call, no keep-alive). Every call is bounded by the operation's client timeout. Requests are
// validated before sending and responses after receiving (both sides validate at the boundary).
import { request } from 'node:http';
import {
  AGENT_OPERATIONS,
  AgentErrorBody,
  formatIssues,
  parseWire,
  type AgentOperation,
  type AgentOperationId,
  type CoordinatorConfig,
  type CoordinatorConfigQuery,
  type IpamAddArgs,
  type IpamAddResponse,
  type IpamBatchDelArgs,
  type IpamDelArgs,
  type WorkloadEndpointQuery,
  type WorkloadEndpointStatus,
} from '@spiderpool/agent-api';
import {
  AgentProtocolError,
  AgentRejectedError,
  AgentTimeoutError,
  AgentUnavailableError,
} from '../errors.js';
import type { AgentClient } from './agent-client.port.js';

export interface HttpAgentClientOptions {
  socketPath: string;
  /** Override per-operation bounds (ms); defaults come from the contract. */
  timeoutsMs?: Partial<Record<AgentOperationId, number>>;
}

/** Errors raised before any byte reached the agent. */
const CONNECT_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTSOCK', 'EPERM']);

export class HttpAgentClient implements AgentClient {
  constructor(private readonly options: HttpAgentClientOptions) {}

  async healthy(): Promise<void> {
    await this.call('getIpamHealthy', {});
  }

  async allocate(args: IpamAddArgs): Promise<IpamAddResponse> {
    return (await this.call('postIpamIp', { body: args })) as IpamAddResponse;
  }

  async release(args: IpamDelArgs): Promise<void> {
    await this.call('deleteIpamIp', { body: args });
  }

  async releaseAll(args: IpamBatchDelArgs): Promise<void> {
    await this.call('deleteIpamIps', { body: args });
  }

  async coordinatorConfig(query: CoordinatorConfigQuery): Promise<CoordinatorConfig> {
    return (await this.call('getCoordinatorConfig', { query })) as CoordinatorConfig;
  }

  async workloadEndpoint(query: WorkloadEndpointQuery): Promise<WorkloadEndpointStatus> {
    return (await this.call('getWorkloadEndpoint', { query })) as WorkloadEndpointStatus;
  }

  private async call(
    id: AgentOperationId,
    input: { body?: unknown; query?: Record<string, string> },
  ): Promise<unknown> {
    const op: AgentOperation = AGENT_OPERATIONS[id];
    const what = `[${op.method} ${op.path}]`;
    if (op.body) {
      const checked = parseWire(op.body, input.body);
      if (!checked.ok)
        throw new AgentProtocolError(`${what} invalid request: ${formatIssues(checked.issues)}`);
    }
    const path = input.query ? `${op.path}?${new URLSearchParams(input.query).toString()}` : op.path;
    const payload = input.body === undefined ? undefined : Buffer.from(JSON.stringify(input.body));
    const timeoutMs = this.options.timeoutsMs?.[id] ?? op.clientTimeoutMs;
    const { status, text } = await this.exchange(op, path, payload, timeoutMs);
    if (status >= 200 && status < 300) {
      if (!op.response) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new AgentProtocolError(`${what}[${status}] response is not JSON`);
      }
      const parsed = parseWire(op.response, json);
      if (!parsed.ok)
        throw new AgentProtocolError(`${what}[${status}] invalid response: ${formatIssues(parsed.issues)}`);
      return parsed.value;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const err = parseWire(AgentErrorBody, body);
    if (err.ok) {
      throw new AgentRejectedError(
        err.value.code,
        status,
        `${what}[${status}] ${err.value.code}: ${err.value.message}`,
        err.value.details,
      );
    }
    throw new AgentProtocolError(`${what}[${status}] unexpected response: ${text.slice(0, 512)}`);
  }

  private exchange(
    op: AgentOperation,
    path: string,
    payload: Buffer | undefined,
    timeoutMs: number,
  ): Promise<{ status: number; text: string }> {
    const what = `[${op.method} ${op.path}]`;
    return new Promise((resolve, reject) => {
      let sent = false;
      const req = request({
        socketPath: this.options.socketPath,
        path,
        method: op.method,
        agent: false,
        headers: {
          Host: 'spiderpool-agent',
          Accept: 'application/json',
          Connection: 'close',
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
        },
      });
      const timer = setTimeout(() => {
        req.destroy(new AgentTimeoutError(`${what} no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('socket', (s) => s.on('connect', () => (sent = true)));
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (e instanceof AgentTimeoutError) reject(e);
        else if (!sent && e.code && CONNECT_ERRORS.has(e.code)) {
          reject(
            new AgentUnavailableError(
              `${what} cannot reach the agent at ${this.options.socketPath}: ${e.message}`,
              { cause: e },
            ),
          );
        } else reject(new AgentTimeoutError(`${what} connection failed: ${e.message}`, { cause: e }));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(new AgentTimeoutError(`${what} response broken: ${e.message}`, { cause: e }));
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(payload);
    });
  }
}
