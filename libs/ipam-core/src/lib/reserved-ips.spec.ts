import { reservedIPSet } from './reserved-ips.js';
import type { SpiderReservedIPView } from './model.js';

const rip = (
  name: string,
  spec: SpiderReservedIPView['spec'],
  deletionTimestamp?: string,
): SpiderReservedIPView => ({
  metadata: { name, ...(deletionTimestamp ? { deletionTimestamp } : {}) },
  spec,
});

describe('reservedIPSet', () => {
  const all = [
    rip('v4', { ipVersion: 4, ips: ['10.0.0.1-10.0.0.3', '10.0.0.9'] }),
    rip('v6', { ipVersion: 6, ips: ['fd00::5'] }),
    rip('inferred-v4', { ips: ['10.0.0.20'] }),
    rip('inferred-v6', { ips: ['fd00::7-fd00::8'] }),
    rip('gone', { ipVersion: 4, ips: ['10.0.0.30'] }, '2026-01-01T00:00:00Z'),
    rip('half-bad', { ipVersion: 4, ips: ['10.0.0.40', 'not-an-ip', '10.0.0.0/24'] }),
  ];

  it('unions the entries of one family, inferring the family from the first entry when ipVersion is absent', () => {
    expect(reservedIPSet(all, 4).toRanges()).toEqual([
      '10.0.0.1-10.0.0.3',
      '10.0.0.9',
      '10.0.0.20',
      '10.0.0.40',
    ]);
    expect(reservedIPSet(all, 6).toRanges()).toEqual(['fd00::5', 'fd00::7-fd00::8']);
  });

  it('skips terminating objects, and a malformed entry does not void the valid ones beside it', () => {
    const v4 = reservedIPSet(all, 4);
    expect(v4.toRanges()).not.toContain('10.0.0.30');
    expect(v4.toRanges()).toContain('10.0.0.40');
  });
});
