import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caCertPath: string;
  clientCertPath: string;
  clientKeyPath: string;
  user: string;
  /** Cluster/context name (default `spiderpool-test`). */
  name?: string;
}

/** Renders a self-contained kubeconfig (certificate data embedded) for one client identity. */
export async function renderKubeconfig(input: KubeconfigInput): Promise<string> {
  const name = input.name ?? 'spiderpool-test';
  const b64 = async (p: string) => (await readFile(p)).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name, cluster: { server: input.server, 'certificate-authority-data': await b64(input.caCertPath) } },
    ],
    users: [
      {
        name: input.user,
        user: {
          'client-certificate-data': await b64(input.clientCertPath),
          'client-key-data': await b64(input.clientKeyPath),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: input.user } }],
    'current-context': name,
  });
}

export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<string> {
  await writeFile(path, await renderKubeconfig(input), { mode: 0o600 });
  return path;
}
