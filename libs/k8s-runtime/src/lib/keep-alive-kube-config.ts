import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * A `KubeConfig` whose requests share one connection pool per (server, user). client-node 2.0.1 builds a fresh
 * undici Agent in every `applySecurityAuthentication`, i.e. a new TCP+TLS handshake per API call; that made a
 * GET+PUT cost ~20 ms and capped the agent at 78 allocations/s (ADR 0010). Authentication is still applied per
 * request (headers, refreshed tokens); only the dispatcher of the first request is kept and reused, with the
 * keep-alive settings client-node itself configures. Client certificates are read once per pool: call `close()`
 * and build a new config to pick up rotated certificates.
 */
export class KeepAliveKubeConfig extends KubeConfig {
  private readonly dispatchers = new Map<string, Dispatcher>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (fresh === undefined) return; // plain HTTP without TLS material: fetch's global pool already keeps alive
    const key = JSON.stringify([this.getCurrentCluster()?.server ?? '', this.getCurrentUser()?.name ?? '']);
    const shared = this.dispatchers.get(key);
    if (shared === undefined) {
      this.dispatchers.set(key, fresh);
      return;
    }
    context.setDispatcher(shared);
    // The fresh Agent never connected; closing it releases nothing but keeps the intent explicit.
    void fresh.close().catch(() => undefined);
  }

  /** Number of connection pools opened so far (one per server/user pair that was used). */
  poolCount(): number {
    return this.dispatchers.size;
  }

  /** Closes the pooled connections (in-flight requests finish first). */
  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((d) => d.close().catch(() => undefined)));
  }
}

const shared = new WeakMap<KubeConfig, KeepAliveKubeConfig>();

/**
 * The one factory for Kubernetes clients: a keep-alive view of `kubeConfig` (same clusters, users, contexts and
 * current context). Idempotent — a `KeepAliveKubeConfig` is returned as is, and every call with the same source
 * config returns the same instance, so all clients built from one config share its connection pool.
 */
export function keepAliveKubeConfig(kubeConfig: KubeConfig): KeepAliveKubeConfig {
  if (kubeConfig instanceof KeepAliveKubeConfig) return kubeConfig;
  let kc = shared.get(kubeConfig);
  if (kc === undefined) {
    kc = new KeepAliveKubeConfig();
    kc.loadFromOptions({
      clusters: kubeConfig.getClusters(),
      users: kubeConfig.getUsers(),
      contexts: kubeConfig.getContexts(),
      currentContext: kubeConfig.getCurrentContext(),
    });
    shared.set(kubeConfig, kc);
  }
  return kc;
}
