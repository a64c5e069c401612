// node libs/testing/control-plane.mjs [--write-env FILE] [--no-controllers]
// Starts one control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler) with the chart's CRDs,
// writes `export SPIDERPOOL_TEST_KUBECONFIG=…` to FILE (and stdout) once ready, and runs until SIGTERM/SIGINT,
// then stops it. tools/test-all.sh uses it to share one plane among all projects' int tiers.
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadHarness } from './harness-loader.mjs';

const args = process.argv.slice(2);
const envFileAt = args.indexOf('--write-env');
const envFile = envFileAt >= 0 ? args[envFileAt + 1] : undefined;
const h = await loadHarness();
const plane = await h.startControlPlane({
  logger: h.stderrLogger,
  controllers: !args.includes('--no-controllers'),
});
let stopping;
const stop = (code) => {
  stopping ??= plane.stop().then(
    () => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
try {
  await h.installCrds(
    plane.kubeconfigPath,
    h.findWorkspaceRoot(dirname(fileURLToPath(import.meta.url))),
    h.stderrLogger,
  );
} catch (err) {
  console.error(err);
  stop(1);
}
const line = `export ${h.TEST_KUBECONFIG_ENV}='${plane.kubeconfigPath}'\n`;
if (envFile) writeFileSync(envFile, line);
process.stdout.write(line);
process.stderr.write(`[control-plane] ready in ${plane.startupMs} ms at ${plane.server}; SIGTERM to stop\n`);
setInterval(() => undefined, 1 << 30);
