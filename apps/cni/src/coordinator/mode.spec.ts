import { ModeConflictError } from './coordinator.errors.js';
import { resolveMode, type ModeInput } from './mode.js';

const base: ModeInput = {
  mode: 'auto',
  ifName: 'eth0',
  podDefaultCniNic: 'eth0',
  hasVeth0: false,
  upLinkCount: 1,
};

describe('resolveMode (spec §3.2)', () => {
  it.each([
    [{}, { mode: 'underlay', firstInvoke: true, table: 101 }],
    [
      { ifName: 'net1', hasVeth0: true, upLinkCount: 3 },
      { mode: 'underlay', firstInvoke: false, table: 101 },
    ],
    [
      { ifName: 'net2', hasVeth0: true, upLinkCount: 4 },
      { mode: 'underlay', firstInvoke: false, table: 102 },
    ],
    [
      { ifName: 'net1', upLinkCount: 2 },
      { mode: 'overlay', firstInvoke: true, table: 101 },
    ],
    [
      { ifName: 'net2', upLinkCount: 3 },
      { mode: 'overlay', firstInvoke: false, table: 102 },
    ],
    [
      { mode: 'overlay', ifName: 'net1', upLinkCount: 2 },
      { mode: 'overlay', firstInvoke: true, table: 101 },
    ],
  ] as const)('%j → %j', (input, expected) => {
    expect(resolveMode({ ...base, ...input })).toEqual(expected);
  });

  it.each([
    [{ mode: 'underlay', ifName: 'net1' }],
    [{ mode: 'overlay' }],
    [{ mode: 'overlay', ifName: 'net1', hasVeth0: true }],
  ] as const)('%j is a mode conflict', (input) => {
    expect(() => resolveMode({ ...base, ...input })).toThrow(ModeConflictError);
  });
});
