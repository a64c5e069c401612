// A tiny in-process agent for tests and benchmarks: serves the agent API contract on a unix socket
// with in-memory allocations (one IPv4 per pod interface from 10.250.0.0/16). Validates requests
// with the contract schemas and answers errors with the contract's error model.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  AGENT_PATHS,
  AgentApiError,
  IpamAddArgs,
  IpamBatchDelArgs,
  IpamDelArgs,
  parseWireOrThrow,
  type AgentErrorCode,
  type IpamAddResponse,
} from '@spiderpool/agent-api';

export interface FakeAgentServer {
  readonly socketPath: string;
  /** IPs held, keyed by `podNamespace/podName`. */
  readonly held: Map<string, IpamAddResponse>;
  /** Requests seen, as `METHOD path`. */
  readonly requests: string[];
  /** Make the next calls of `METHOD path` fail with this code. */
  failNext(route: string, code: AgentErrorCode, message?: string): void;
  /** Serve this allocation instead of the generated one. */
  allocation?: IpamAddResponse;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new AgentApiError('MALFORMED_REQUEST', 'request body is not JSON'));
      }
    });
  });
}

export async function startFakeAgentServer(socketPath: string): Promise<FakeAgentServer> {
  const held = new Map<string, IpamAddResponse>();
  const requests: string[] = [];
  const failures = new Map<string, { code: AgentErrorCode; message: string }>();
  let next = 2;

  const state: FakeAgentServer = {
    socketPath,
    held,
    requests,
    failNext: (route, code, message = `injected ${code}`) => void failures.set(route, { code, message }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    const route = `${req.method} ${url.pathname}`;
    requests.push(route);
    const injected = failures.get(route);
    if (injected) {
      failures.delete(route);
      throw new AgentApiError(injected.code, injected.message);
    }
    switch (route) {
      case `GET ${AGENT_PATHS.ipamHealthy}`:
        return void res.writeHead(200).end();
      case `POST ${AGENT_PATHS.ipamIp}`: {
        const args = parseWireOrThrow(IpamAddArgs, await readBody(req), 'IpamAddArgs');
        const key = `${args.podNamespace}/${args.podName}`;
        let resp = held.get(key);
        if (!resp) {
          const n = next++;
          const ip = `10.250.${(n >> 8) & 255}.${n & 255}`;
          resp = state.allocation ?? {
            ips: [
              { version: 4, address: `${ip}/16`, nic: args.ifName, gateway: '10.250.0.1', ipPool: 'fake-v4' },
            ],
            routes: [{ ifName: args.ifName, dst: '0.0.0.0/0', gw: '10.250.0.1' }],
          };
          held.set(key, resp);
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return void res.end(JSON.stringify(resp));
      }
      case `DELETE ${AGENT_PATHS.ipamIp}`: {
        const args = parseWireOrThrow(IpamDelArgs, await readBody(req), 'IpamDelArgs');
        held.delete(`${args.podNamespace}/${args.podName}`);
        return void res.writeHead(200).end();
      }
      case `DELETE ${AGENT_PATHS.ipamIps}`: {
        const args = parseWireOrThrow(IpamBatchDelArgs, await readBody(req), 'IpamBatchDelArgs');
        held.delete(`${args.podNamespace}/${args.podName}`);
        return void res.writeHead(200).end();
      }
      default:
        throw new AgentApiError('ROUTE_NOT_FOUND', `path ${url.pathname} was not found`);
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const err = e instanceof AgentApiError ? e : new AgentApiError('INTERNAL', String(e));
      res.writeHead(err.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(err.toBody()));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return state;
}
