import { DEFAULT_SOCKET_PATH, parseAgentConfig } from './schema.js';

const env = { SPIDERPOOL_POD_NAMESPACE: 'kube-system', SPIDERPOOL_NODE_NAME: 'node-1' };

describe('agent config', () => {
  it('applies upstream env defaults and chart defaults for a missing conf.yml', () => {
    const r = parseAgentConfig(env, () => undefined);
    expect(r.ok && r.config).toMatchObject({
      socketPath: DEFAULT_SOCKET_PATH,
      healthPort: 5710,
      metricsPort: 5711,
      maxAllocatedIPs: 5000,
      waitSubnetPoolMs: 2000,
      waitSubnetPoolMaxRetries: 25,
      enableIPv4: true,
      enableStatefulSet: true,
      enableReleaseConflictIPs: true,
    });
  });

  it('reads conf.yml keys', () => {
    const r = parseAgentConfig(
      { ...env, SPIDERPOOL_CONFIG_PATH: '/c.yml' },
      () =>
        'ipamUnixSocketPath: /run/x.sock\nenableIPv6: false\nenableGatewayDetection: true\nclusterNetwork: ignored\n',
    );
    expect(r.ok && r.config).toMatchObject({
      socketPath: '/run/x.sock',
      enableIPv6: false,
      enableGatewayDetection: true,
    });
  });

  it('reports missing required env and an explicit config path that does not exist', () => {
    const missing = parseAgentConfig({}, () => undefined);
    expect(!missing.ok && missing.issues.join('\n')).toMatch(/SPIDERPOOL_NODE_NAME/);
    const noFile = parseAgentConfig({ ...env, SPIDERPOOL_CONFIG_PATH: '/nope.yml' }, () => undefined);
    expect(noFile).toEqual({ ok: false, issues: ['config file /nope.yml does not exist'] });
    const badBool = parseAgentConfig({ ...env, SPIDERPOOL_ENABLED_METRIC: 'yes' }, () => undefined);
    expect(badBool.ok).toBe(false);
  });
});
