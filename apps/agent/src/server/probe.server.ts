import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENT_PATHS } from '@spiderpool/agent-api';
import type { AgentMetrics } from '../observability/agent-metrics.js';

export interface ProbeState {
  /** Start-up finished (unix server listening). */
  started(): boolean;
  /** Caches synced and the unix server serving. */
  ready(): boolean;
}

/**
 * The TCP listener: `/v1/runtime/{startup,readiness,liveness}` (cni-and-agent.md §2.1) and, when given the
 * metrics, `/metrics` in Prometheus text format. Plain node:http: probes must answer even if Nest is wedged.
 */
export class ProbeServer {
  private server: Server | undefined;

  constructor(
    private readonly state: ProbeState,
    private readonly metrics: AgentMetrics | undefined,
  ) {}

  async listen(port: number, host: string): Promise<number> {
    const server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET') {
        res.writeHead(405, { Allow: 'GET' }).end();
        return;
      }
      if (url === AGENT_PATHS.runtimeStartup) res.writeHead(this.state.started() ? 200 : 500).end();
      else if (url === AGENT_PATHS.runtimeReadiness || url === AGENT_PATHS.runtimeLiveness) {
        res.writeHead(this.state.ready() ? 200 : 500).end();
      } else if (url === '/metrics' && this.metrics !== undefined) {
        const metrics = this.metrics;
        metrics.text().then(
          (text) => res.writeHead(200, { 'Content-Type': metrics.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      } else res.writeHead(404).end();
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
