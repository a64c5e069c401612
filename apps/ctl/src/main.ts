import { readFileSync } from 'node:fs';
import { runCli } from './cli/cli.js';
import { KubeClusterClient } from './cluster/kube-cluster.client.js';
import { loadKubeConfig } from './config/kubeconfig.js';
import { parseCtlConfig, processEnv } from './config/schema.js';
import { mapError } from './errors.js';

// Only bootstraps: config, then the CLI with real edges.
let code: number;
try {
  const config = parseCtlConfig(processEnv());
  code = await runCli(process.argv.slice(2), {
    io: { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
    config,
    connect: (flag) => new KubeClusterClient(loadKubeConfig(flag, config.kubeconfig)),
    readFile: (path) => readFileSync(path, 'utf8'),
    now: () => Date.now(),
  });
} catch (err) {
  const { exitCode, message } = mapError(err);
  process.stderr.write(`${message}\n`);
  code = exitCode;
}
process.exitCode = code;
