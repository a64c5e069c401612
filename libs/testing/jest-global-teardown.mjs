// Jest globalTeardown of the `int` tier: stops the control plane globalSetup started (a reused one is left running).
export default async function globalTeardown() {
  const state = globalThis.__SPIDERPOOL_INT_TIER__;
  globalThis.__SPIDERPOOL_INT_TIER__ = undefined;
  if (state) await state.harness.teardownIntTier(state.handle);
}
