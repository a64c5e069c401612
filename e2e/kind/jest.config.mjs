// Jest config of the kind journeys (`nx run e2e:e2e-kind`): `kind/**/*.e2e.spec.ts`, serially, long timeouts.
// Each suite skips with a one-line reason where Docker, kind or helm are missing.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jestConfig } from '../../jest.base.mjs';

const e2eDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const base = jestConfig(e2eDir);
const [unit] = base.projects;

export default {
  ...unit,
  reporters: base.reporters,
  forceExit: base.forceExit,
  displayName: 'e2e-kind',
  testMatch: ['<rootDir>/kind/**/*.e2e.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 1_800_000,
  maxWorkers: 1,
};
