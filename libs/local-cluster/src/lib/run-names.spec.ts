import { isRunId, newRunId, runIdOf, runNames } from './run-names.js';

describe('run names', () => {
  const names = runNames('a1b2c3');

  it('keeps every link name within IFNAMSIZ and tags it with the run id', () => {
    for (const link of [names.zoneBridge(12), names.routerLink(12), names.uplink(12)]) {
      expect(link.length).toBeLessThanOrEqual(15);
      expect(runIdOf(link)).toBe('a1b2c3');
    }
  });

  it('tags namespaces with the run id', () => {
    expect(runIdOf(names.routerNetns)).toBe('a1b2c3');
    expect(runIdOf(names.podNetns('0b5e9c1e-77aa-4c35-9f0d-2d6f1f6d1a11'))).toBe('a1b2c3');
  });

  it('does not claim names of other tools', () => {
    expect(runIdOf('eth0')).toBeUndefined();
    expect(runIdOf('lcxyz123b0')).toBeUndefined();
    expect(runIdOf('cni-1234')).toBeUndefined();
  });

  it('generates valid run ids and rejects malformed ones', () => {
    expect(isRunId(newRunId())).toBe(true);
    expect(() => runNames('XYZ')).toThrow(RangeError);
  });
});
