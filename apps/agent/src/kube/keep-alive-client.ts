import {
  createConfiguration,
  ServerConfiguration,
  type KubeConfig,
  type RequestContext,
  type SecurityAuthentication,
} from '@kubernetes/client-node';

type Dispatcher = ReturnType<RequestContext['getDispatcher']>;
type ApiConstructor<T> = new (config: ReturnType<typeof createConfiguration>) => T;

/**
 * API clients that reuse one TLS connection pool. `KubeConfig.makeApiClient` builds a fresh undici Agent per
 * request (client-node 2.0.1), i.e. a new TLS handshake per API call, which made a GET+PUT cost ~20 ms and
 * dominated the agent's CPU profile. Here the kubeconfig still authenticates every request (headers, tokens), but
 * the first request's dispatcher (same TLS material, keep-alive on) is kept and reused for all later ones.
 */
export class KeepAliveKubeClients {
  private dispatcher: Dispatcher;

  constructor(private readonly kubeConfig: KubeConfig) {}

  make<T>(api: ApiConstructor<T>): T {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (cluster === null) throw new Error('kubeconfig has no current cluster');
    const auth: SecurityAuthentication = {
      getName: () => 'keep-alive-kubeconfig',
      applySecurityAuthentication: async (ctx: RequestContext) => {
        await this.kubeConfig.applySecurityAuthentication(ctx);
        if (this.dispatcher === undefined) this.dispatcher = ctx.getDispatcher();
        else if (this.dispatcher !== undefined) ctx.setDispatcher(this.dispatcher);
      },
    };
    return new api(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.server, {}),
        authMethods: { default: auth },
      }),
    );
  }
}
