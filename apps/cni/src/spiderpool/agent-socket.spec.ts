import { AGENT_SOCKET_ENV, agentSocketOverride, resolveAgentSocket } from './agent-socket.js';

describe('agent socket override (per-node agents on one host)', () => {
  it('takes an absolute path from SPIDERPOOL_AGENT_SOCKET', () => {
    expect(agentSocketOverride({ [AGENT_SOCKET_ENV]: '/run/lc/node-1/spiderpool.sock' })).toBe(
      '/run/lc/node-1/spiderpool.sock',
    );
  });

  it('ignores an unset, empty or relative value', () => {
    expect(agentSocketOverride({})).toBeUndefined();
    expect(agentSocketOverride({ [AGENT_SOCKET_ENV]: '  ' })).toBeUndefined();
    expect(agentSocketOverride({ [AGENT_SOCKET_ENV]: 'spiderpool.sock' })).toBeUndefined();
  });

  it('wins over the netconf key, which applies otherwise', () => {
    expect(resolveAgentSocket('/run/lc/node-2/spiderpool.sock', '/var/run/spidernet/spiderpool.sock')).toBe(
      '/run/lc/node-2/spiderpool.sock',
    );
    expect(resolveAgentSocket(undefined, '/custom/agent.sock')).toBe('/custom/agent.sock');
  });
});
