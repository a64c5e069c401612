import {
  canonicalCIDR,
  cidrToLabelValue,
  formatIP,
  mergeIPRanges,
  parseCIDR,
  parseIP,
  parseIPRange,
  subtractIntervals,
} from './ip-range.js';

describe('ip-range', () => {
  it.each([
    ['172.18.0.1', '172.18.0.1'],
    ['FD00:0:0::01', 'fd00::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
  ])('canonical text of %s is %s (§1.2)', (input, want) => {
    const ip = parseIP(input);
    expect(ip && formatIP(ip.family, ip.value)).toBe(want);
  });

  it.each(['010.0.0.1', '1.2.3', '1.2.3.256', 'fe80::1%eth0', '1::2::3', 'abc', ''])('rejects %s', (s) => {
    expect(parseIP(s)).toBeNull();
  });

  it('canonical CIDR zeroes host bits', () => {
    const canon = (s: string) => {
      const c = parseCIDR(s);
      return c && canonicalCIDR(c);
    };
    expect(canon('172.18.0.1/16')).toBe('172.18.0.0/16');
    expect(canon('FD00::/64')).toBe('fd00::/64');
  });

  it('merges ranges as MergeIPRanges does (§1.2 example)', () => {
    expect(mergeIPRanges(4, ['172.18.40.10', '172.18.40.1-172.18.40.3', '172.18.40.2-172.18.40.5'])).toEqual([
      '172.18.40.1-172.18.40.5',
      '172.18.40.10',
    ]);
    expect(mergeIPRanges(4, ['172.18.40.5-172.18.40.1', '172.18.40.9'])).toBeNull();
    expect(mergeIPRanges(6, ['fd00::1', 'fd00::2'])).toEqual(['fd00::1-fd00::2']);
  });

  it('one strict range parser: reversed ranges, CIDRs and mixed families are rejected', () => {
    expect(parseIPRange('10.0.0.1-10.0.0.9', 4)).toEqual({ ok: true, interval: { start: 167772161n, end: 167772169n } });
    expect(parseIPRange('10.0.0.9-10.0.0.1', 4).ok).toBe(false);
    expect(parseIPRange('10.0.0.0/24', 4).ok).toBe(false);
    expect(parseIPRange('10.0.0.1-fd00::1', 4).ok).toBe(false);
  });

  it('CIDR label values (§1.2)', () => {
    expect(cidrToLabelValue(4, '172.18.40.0/24')).toBe('172-18-40-0-24');
    expect(cidrToLabelValue(6, 'fd00:db8::/64')).toBe('fd00-db8---64');
    expect(cidrToLabelValue(4, 'fd00:db8::/64')).toBeNull();
  });

  it('subtracts intervals', () => {
    expect(subtractIntervals([{ start: 1n, end: 10n }], [{ start: 3n, end: 4n }, { start: 10n, end: 12n }])).toEqual([
      { start: 1n, end: 2n },
      { start: 5n, end: 9n },
    ]);
  });
});
