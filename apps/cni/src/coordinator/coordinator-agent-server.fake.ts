// Minimal agent for the node tier: serves only GET /v1/coordinator/config on a unix socket with a
// scripted SpiderCoordinator view (the shared fake agent serves the IPAM operations only).
import { createServer, type Server } from 'node:http';
import { AGENT_PATHS, type CoordinatorConfig } from '@spiderpool/agent-api';

export interface CoordinatorAgentServer {
  readonly socketPath: string;
  config: CoordinatorConfig;
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startCoordinatorAgentServer(
  socketPath: string,
  config: CoordinatorConfig,
): Promise<CoordinatorAgentServer> {
  const requests: string[] = [];
  const state: CoordinatorAgentServer = {
    socketPath,
    config,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.method === 'GET' && url.pathname === AGENT_PATHS.coordinatorConfig) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(state.config));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ code: 'ROUTE_NOT_FOUND', message: `path ${url.pathname} was not found` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return state;
}
