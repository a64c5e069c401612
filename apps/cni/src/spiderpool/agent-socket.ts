// Which unix socket the plugins (spiderpool IPAM, coordinator) use to reach the node's agent.
// The netconf key `ipam_unix_socket_path` is cluster-wide (a NAD is shared by every node); the env override lets a
// host running several agents (the local cluster's simulated nodes) point each node's invocations at its own agent.
// Read only in main.ts's env parsing and handed down as a parsed argument (house style §13).

/** Env var naming the agent socket; when set (non-empty), it takes precedence over the netconf key. */
export const AGENT_SOCKET_ENV = 'SPIDERPOOL_AGENT_SOCKET';

/** The override from a CNI invocation's environment: an absolute path, or undefined when unset/empty/relative. */
export function agentSocketOverride(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = env[AGENT_SOCKET_ENV]?.trim();
  return value && value.startsWith('/') ? value : undefined;
}

/** The socket to dial: the env override when present, else what the netconf (or its default) says. */
export function resolveAgentSocket(override: string | undefined, fromNetconf: string): string {
  return override ?? fromNetconf;
}
