import { HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { KeepAliveKubeConfig, keepAliveKubeConfig } from './keep-alive-kube-config.js';

// TLS material (skip-verify) makes client-node build an undici Agent per request; nothing connects here.
const source = (): KubeConfig => {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
};

const authenticate = async (kc: KubeConfig): Promise<RequestContext> => {
  const ctx = new RequestContext('https://127.0.0.1:6443/api/v1/pods', HttpMethod.GET);
  await kc.applySecurityAuthentication(ctx);
  return ctx;
};

describe('keepAliveKubeConfig', () => {
  it('reuses one dispatcher across requests where plain client-node builds one per request', async () => {
    const plain = source();
    const [p1, p2] = [await authenticate(plain), await authenticate(plain)];
    expect(p1.getDispatcher()).toBeDefined();
    expect(p1.getDispatcher()).not.toBe(p2.getDispatcher());

    const kc = keepAliveKubeConfig(plain);
    const [k1, k2] = [await authenticate(kc), await authenticate(kc)];
    expect(k1.getDispatcher()).toBeDefined();
    expect(k2.getDispatcher()).toBe(k1.getDispatcher());
    expect(kc.poolCount()).toBe(1);
    await kc.close();
  });

  it('still authenticates every request', async () => {
    const ctx = await authenticate(keepAliveKubeConfig(source()));
    expect(ctx.getHeaders()['Authorization']).toBe('Bearer secret-token');
  });

  it('returns the same instance for the same source and passes a keep-alive config through', () => {
    const plain = source();
    const kc = keepAliveKubeConfig(plain);
    expect(kc).toBeInstanceOf(KeepAliveKubeConfig);
    expect(keepAliveKubeConfig(plain)).toBe(kc);
    expect(keepAliveKubeConfig(kc)).toBe(kc);
    expect(keepAliveKubeConfig(source())).not.toBe(kc);
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
  });

  it('keeps one pool per current context', async () => {
    const plain = source();
    plain.loadFromOptions({
      clusters: [
        ...plain.getClusters(),
        { name: 'c2', server: 'https://127.0.0.2:6443', skipTLSVerify: true },
      ],
      users: plain.getUsers(),
      contexts: [...plain.getContexts(), { name: 'ctx2', cluster: 'c2', user: 'u' }],
      currentContext: 'ctx',
    });
    const kc = keepAliveKubeConfig(plain);
    const first = await authenticate(kc);
    kc.setCurrentContext('ctx2');
    const second = await authenticate(kc);
    expect(second.getDispatcher()).not.toBe(first.getDispatcher());
    expect(kc.poolCount()).toBe(2);
    await kc.close();
    expect(kc.poolCount()).toBe(0);
  });
});
