// Jest globalSetup of the `int` tier (wired in jest.base.mjs): starts ONE control plane per Jest run, or reuses
// the one named by SPIDERPOOL_TEST_KUBECONFIG, installs charts/spiderpool/crds and exports the kubeconfig path
// to the test files as SPIDERPOOL_TEST_KUBECONFIG.
import { loadHarness } from './harness-loader.mjs';

export default async function globalSetup(globalConfig) {
  const harness = await loadHarness();
  const root = harness.findWorkspaceRoot(globalConfig?.rootDir ?? process.cwd());
  globalThis.__SPIDERPOOL_INT_TIER__ = { harness, handle: await harness.setupIntTier(root) };
}
