export {
  resolveBinaries,
  requireBinary,
  parseEnvFile,
  spiderpoolCacheDir,
  type TestBinaries,
} from './lib/binaries.js';
export {
  startControlPlane,
  freePort,
  httpGet,
  DEFAULT_BASE_DIR,
  CONTROL_PLANE_NETWORKING,
  type ControlPlane,
  type ControlPlaneNetworking,
  type ControlPlaneOptions,
  type HarnessLogger,
} from './lib/control-plane.js';
export {
  TestingError,
  BinaryNotFoundError,
  ControlPlaneStartError,
  WaitTimeoutError,
  CommandFailedError,
} from './lib/errors.js';
export {
  setupIntTier,
  teardownIntTier,
  installCrds,
  findWorkspaceRoot,
  stderrLogger,
  type IntTierHandle,
} from './lib/int-tier.js';
export { renderKubeconfig, writeKubeconfig, type KubeconfigInput } from './lib/kubeconfig.js';
export { kubectl, kubectlJson, applyManifests, toYamlStream, type KubectlOptions } from './lib/kubectl.js';
export { createPki, type Pki, type ClientIdentity } from './lib/pki.js';
export { sweepStale, readRunState, isAlive, type RunState, type SweepResult } from './lib/run-state.js';
export { testNamespace } from './lib/test-namespace.js';
export { requireNodePrivileges, nodeTierSkip, intTierKubeconfig, TEST_KUBECONFIG_ENV } from './lib/tiers.js';
export { waitFor, type WaitForOptions } from './lib/wait-for.js';
