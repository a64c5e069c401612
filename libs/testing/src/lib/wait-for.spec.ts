import { WaitTimeoutError } from './errors.js';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('returns the first truthy value, treating throws and false as "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('not ready');
        return calls === 2 ? false : { calls };
      },
      { intervalMs: 1 },
    );
    expect(value).toEqual({ calls: 3 });
  });

  it('times out with the last error as cause', async () => {
    const boom = new Error('still starting');
    const err = await waitFor(
      () => {
        throw boom;
      },
      { timeoutMs: 20, intervalMs: 1, description: 'the thing' },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).code).toBe('WAIT_TIMEOUT');
    expect((err as WaitTimeoutError).message).toMatch(/the thing: still starting/);
    expect((err as WaitTimeoutError).cause).toBe(boom);
  });
});
