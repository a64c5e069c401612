// setupFilesAfterEnv of the `int` tier: real-cluster tests wait on controllers, so 60 s per test by default.
import { jest } from '@jest/globals';

jest.setTimeout(60_000);
