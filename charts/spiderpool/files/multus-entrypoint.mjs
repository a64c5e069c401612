// Multus sidecar of the spiderpool-agent DaemonSet: writes the thin-plugin config 00-multus.conf and the
// kubeconfig Multus uses (from this pod's ServiceAccount) into the host CNI directory, then keeps the kubeconfig
// fresh when the token or CA rotates. Node built-ins only; it runs with `node` from the agent image.
//
// Env: MULTUS_CLUSTER_NETWORK (NAD name of the cluster default network; empty → the `name` of the first
// non-multus *.conf/*.conflist/*.json in the CNI dir), MULTUS_NAMESPACE, MULTUS_UNINSTALL ("true": remove
// what was installed on SIGTERM), MULTUS_CNI_CONF_DIR (/host/etc/cni/net.d), MULTUS_HOST_CNI_CONF_DIR
// (/etc/cni/net.d, the path as the host sees it), MULTUS_CNI_BIN_DIR (/host/opt/cni/bin), MULTUS_SA_DIR
// (/var/run/secrets/kubernetes.io/serviceaccount), KUBERNETES_SERVICE_HOST/PORT, MULTUS_ONCE ("true": write once, exit).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const env = process.env;
const confDir = env.MULTUS_CNI_CONF_DIR || '/host/etc/cni/net.d';
const hostConfDir = env.MULTUS_HOST_CNI_CONF_DIR || '/etc/cni/net.d';
const binDir = env.MULTUS_CNI_BIN_DIR || '/host/opt/cni/bin';
const saDir = env.MULTUS_SA_DIR || '/var/run/secrets/kubernetes.io/serviceaccount';
const namespace = env.MULTUS_NAMESPACE || 'kube-system';
const log = (msg) => process.stdout.write(`${new Date().toISOString()} multus-entrypoint: ${msg}\n`);

function writeAtomic(path, text, mode = 0o600) {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}

function clusterNetwork() {
  if (env.MULTUS_CLUSTER_NETWORK) return env.MULTUS_CLUSTER_NETWORK;
  const files = readdirSync(confDir)
    .filter((f) => /\.(conf|conflist|json)$/.test(f) && !f.includes('multus'))
    .sort();
  for (const f of files) {
    try {
      const name = JSON.parse(readFileSync(join(confDir, f), 'utf8')).name;
      if (typeof name === 'string' && name) return name;
    } catch {
      // not JSON: try the next file
    }
  }
  throw new Error(`no MULTUS_CLUSTER_NETWORK and no CNI configuration with a name in ${confDir}`);
}

function kubeconfig() {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT || '443';
  if (!host) throw new Error('KUBERNETES_SERVICE_HOST is not set');
  const server = host.includes(':') ? `https://[${host}]:${port}` : `https://${host}:${port}`;
  const ca = readFileSync(join(saDir, 'ca.crt')).toString('base64');
  const token = readFileSync(join(saDir, 'token'), 'utf8').trim();
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: local',
    '    cluster:',
    `      server: ${server}`,
    `      certificate-authority-data: ${ca}`,
    'users:',
    '  - name: multus',
    '    user:',
    `      token: ${token}`,
    'contexts:',
    '  - name: multus-context',
    '    context:',
    '      cluster: local',
    '      user: multus',
    'current-context: multus-context',
    '',
  ].join('\n');
}

function multusConf(network) {
  return `${JSON.stringify(
    {
      cniVersion: '0.3.1',
      name: 'multus-cni-network',
      type: 'multus',
      confDir: `${hostConfDir}/`,
      logLevel: 'debug',
      logFile: '/var/log/multus.log',
      capabilities: { portMappings: true, bandwidth: true },
      namespaceIsolation: false,
      clusterNetwork: network,
      defaultNetworks: [],
      multusNamespace: namespace,
      systemNamespaces: [],
      kubeconfig: `${hostConfDir}/multus.d/multus.kubeconfig`,
    },
    null,
    2,
  )}\n`;
}

let lastKubeconfig = '';
function syncKubeconfig() {
  const text = kubeconfig();
  if (text === lastKubeconfig) return;
  mkdirSync(join(confDir, 'multus.d'), { recursive: true });
  writeAtomic(join(confDir, 'multus.d', 'multus.kubeconfig'), text);
  lastKubeconfig = text;
  log('wrote multus.d/multus.kubeconfig');
}

function uninstall() {
  for (const p of [join(binDir, 'multus'), join(confDir, 'multus.d'), join(confDir, '00-multus.conf')]) {
    rmSync(p, { recursive: true, force: true });
  }
  log('removed multus binary and configuration');
}

syncKubeconfig();
const network = clusterNetwork();
writeAtomic(join(confDir, '00-multus.conf'), multusConf(network), 0o644);
log(`wrote 00-multus.conf (clusterNetwork ${network})`);
if (env.MULTUS_ONCE !== 'true') {
  const timer = setInterval(() => {
    try {
      syncKubeconfig();
    } catch (err) {
      log(`kubeconfig refresh failed: ${err.message}`);
    }
  }, 10_000);
  const stop = () => {
    clearInterval(timer);
    if (env.MULTUS_UNINSTALL === 'true' && existsSync(confDir)) uninstall();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
