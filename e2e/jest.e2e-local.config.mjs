// Jest config of the local-cluster e2e journeys (`nx run e2e:e2e-local`): `src/**/*.e2e.spec.ts`, serially,
// with generous timeouts (each journey starts its own control plane and simulated nodes).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jestConfig } from '../jest.base.mjs';

const base = jestConfig(dirname(fileURLToPath(import.meta.url)));
const [unit] = base.projects;

export default {
  ...unit,
  reporters: base.reporters,
  forceExit: base.forceExit,
  displayName: 'e2e-local',
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 300_000,
  maxWorkers: 1,
};
