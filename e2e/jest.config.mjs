import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jestConfig } from '../jest.base.mjs';

// The e2e journeys (`*.e2e.spec.ts`) run only through the `e2e-local` target (jest.e2e-local.config.mjs).
export default jestConfig(dirname(fileURLToPath(import.meta.url)), {
  unit: {
    testPathIgnorePatterns: [
      '/node_modules/',
      '/dist/',
      '\\.int\\.spec\\.ts$',
      '\\.node\\.spec\\.ts$',
      '\\.e2e\\.spec\\.ts$',
    ],
  },
});
