import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthState {
  started(): boolean;
  ready(): boolean;
  live(): boolean;
}

/**
 * Plain-HTTP probe server (controller-and-chart.md §3.5): `GET /v1/runtime/{startup,readiness,liveness}` → 200/500;
 * the declared-but-unimplemented IPAM routes answer 501. With `registry`, any other path serves Prometheus text
 * (the metrics server, §4.1).
 */
export function startHttpServer(port: number, handlers: { health?: HealthState; registries?: readonly Registry[] }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const { health, registries } = handlers;
    if (health) {
      const probe = { '/v1/runtime/startup': health.started, '/v1/runtime/readiness': health.ready, '/v1/runtime/liveness': health.live }[path ?? ''];
      if (probe && req.method === 'GET') {
        const ok = probe.call(health);
        res.writeHead(ok ? 200 : 500).end();
        return;
      }
      if (path === '/v1/ipam/ip' || path === '/v1/ipam/gc_ips' || path === '/v1/ipam/status') {
        res.writeHead(501).end();
        return;
      }
    }
    if (registries && registries.length > 0) {
      void Promise.all(registries.map((r) => r.metrics())).then(
        (texts) => res.writeHead(200, { 'Content-Type': registries[0]?.contentType ?? 'text/plain' }).end(texts.join('\n')),
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}
