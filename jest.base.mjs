// Shared Jest configuration: one Jest "project" per test tier, selected by the Nx targets
// (`test` → unit, `test-int` → int, `test-node` → node). See docs/adr/0003-test-tiers.md.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));
const { compilerOptions } = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8'));

/** tsconfig `paths` → Jest moduleNameMapper, plus the ESM `.js` suffix of relative imports. */
const moduleNameMapper = {
  '^(\\.{1,2}/.*)\\.js$': '$1',
  ...Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
      `^${alias}$`,
      join(workspaceRoot, target),
    ]),
  ),
};

const TIERS = {
  unit: { testMatch: ['<rootDir>/**/*.spec.ts'], ignore: ['\\.int\\.spec\\.ts$', '\\.node\\.spec\\.ts$'] },
  int: {
    testMatch: ['<rootDir>/**/*.int.spec.ts'],
    ignore: [],
    // One real control plane per Jest run (or the one named by SPIDERPOOL_TEST_KUBECONFIG), CRDs installed;
    // see libs/testing and docs/adr/0005-local-control-plane.md.
    extra: {
      globalSetup: join(workspaceRoot, 'libs/testing/jest-global-setup.mjs'),
      globalTeardown: join(workspaceRoot, 'libs/testing/jest-global-teardown.mjs'),
      setupFilesAfterEnv: [join(workspaceRoot, 'libs/testing/jest-int-setup.mjs')],
    },
  },
  node: { testMatch: ['<rootDir>/**/*.node.spec.ts'], ignore: [] },
};

/**
 * @param {string} projectDir absolute directory of the Nx project
 * @param {{ int?: object, node?: object, unit?: object }} [overrides] extra Jest options per tier
 */
export function jestConfig(projectDir, overrides = {}) {
  return {
    rootDir: projectDir,
    // The summary reporter adds this run's counts to $SP_TEST_SUMMARY (tools/test-all.sh prints the total).
    reporters: ['default', join(workspaceRoot, 'tools/jest-summary-reporter.cjs')],
    // In CI, a handle leaked by a failed teardown (a server, a watch) must not keep the run waiting for its time
    // limit: the failure itself is already reported by the test. Locally Jest's open-handle warning stays visible.
    forceExit: Boolean(process.env['CI']),
    projects: Object.entries(TIERS).map(([name, tier]) => ({
      displayName: name,
      rootDir: projectDir,
      testEnvironment: 'node',
      testMatch: tier.testMatch,
      testPathIgnorePatterns: ['/node_modules/', '/dist/', ...tier.ignore],
      extensionsToTreatAsEsm: ['.ts'],
      moduleNameMapper,
      transform: {
        '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: join(projectDir, 'tsconfig.spec.json') }],
      },
      ...(tier.extra ?? {}),
      ...(overrides[name] ?? {}),
    })),
  };
}
