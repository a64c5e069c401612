// Moved from the webhook's ip-range adapter tests: the address, CIDR and range text rules of crds.md §1.1–§1.2.
import { cidrLabelValue, parseCIDR, tryParseCIDR } from './cidr.js';
import { formatIP, tryParseIP } from './ip-address.js';
import { tryParseIPRange } from './ip-range.js';
import { IPSet, mergeIPRanges, tryMergeIPRanges } from './ip-set.js';

describe('IP text (crds.md §1.1, §1.2)', () => {
  it.each([
    ['172.18.0.1', '172.18.0.1'],
    ['FD00:0:0::01', 'fd00::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
  ])('canonical text of %s is %s', (input, want) => {
    const ip = tryParseIP(input);
    expect(ip && formatIP(ip.family, ip.value)).toBe(want);
  });

  it.each(['010.0.0.1', '1.2.3', '1.2.3.256', 'fe80::1%eth0', '1::2::3', 'abc', ''])('rejects %s', (s) => {
    expect(tryParseIP(s)).toBeUndefined();
  });

  it('canonical CIDR zeroes host bits', () => {
    expect(parseCIDR('172.18.0.1/16').canonical).toBe('172.18.0.0/16');
    expect(parseCIDR('FD00::/64').canonical).toBe('fd00::/64');
  });

  it('merges ranges as MergeIPRanges does (§1.2 example)', () => {
    expect(mergeIPRanges(4, ['172.18.40.10', '172.18.40.1-172.18.40.3', '172.18.40.2-172.18.40.5'])).toEqual([
      '172.18.40.1-172.18.40.5',
      '172.18.40.10',
    ]);
    expect(tryMergeIPRanges(4, ['172.18.40.5-172.18.40.1', '172.18.40.9'])).toBeUndefined();
    expect(mergeIPRanges(6, ['fd00::1', 'fd00::2'])).toEqual(['fd00::1-fd00::2']);
  });

  it('one strict range parser: reversed ranges, CIDRs and mixed families are rejected', () => {
    expect(tryParseIPRange('10.0.0.1-10.0.0.9', 4)).toEqual({ family: 4, lo: 167772161n, hi: 167772169n });
    expect(tryParseIPRange('10.0.0.9-10.0.0.1', 4)).toBeUndefined();
    expect(tryParseIPRange('10.0.0.0/24', 4)).toBeUndefined();
    expect(tryParseIPRange('10.0.0.1-fd00::1', 4)).toBeUndefined();
  });

  it('CIDR label values (§1.2)', () => {
    expect(cidrLabelValue('172.18.40.0/24', 4)).toBe('172-18-40-0-24');
    expect(cidrLabelValue('fd00:db8::/64', 6)).toBe('fd00-db8---64');
    expect(tryParseCIDR('fd00:db8::/64', 4)).toBeUndefined();
  });

  it('subtracts sets', () => {
    const set = IPSet.fromIntervals(4, [{ lo: 1n, hi: 10n }]).subtract(
      IPSet.fromIntervals(4, [
        { lo: 3n, hi: 4n },
        { lo: 10n, hi: 12n },
      ]),
    );
    expect(set.intervals).toEqual([
      { lo: 1n, hi: 2n },
      { lo: 5n, hi: 9n },
    ]);
  });
});
