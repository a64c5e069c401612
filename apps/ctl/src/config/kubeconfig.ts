import { KubeConfig } from '@kubernetes/client-node';
import { keepAliveKubeConfig, type KeepAliveKubeConfig } from '@spiderpool/k8s-runtime';
import { ConfigError } from '../errors.js';

/**
 * Loads the kubeconfig named by `--kubeconfig`, else `KUBECONFIG`, else client-node's default lookup
 * (~/.kube/config, then in-cluster).
 */
export function loadKubeConfig(flag: string | undefined, fromEnv: string | undefined): KeepAliveKubeConfig {
  const kc = new KubeConfig();
  const path = flag ?? fromEnv;
  try {
    if (path === undefined) kc.loadFromDefault();
    else kc.loadFromFile(path);
  } catch (cause) {
    throw new ConfigError(`cannot load kubeconfig ${path ?? '(default)'}: ${String(cause)}`, { cause });
  }
  if (kc.getCurrentCluster() === null) {
    throw new ConfigError(`kubeconfig ${path ?? '(default)'} has no current cluster`);
  }
  return keepAliveKubeConfig(kc);
}
