import fc from 'fast-check';
import { canonicalIP, formatIP, parseIP, tryParseIP } from './ip-address.js';
import { parseIPRange } from './ip-range.js';
import { IPSet, mergeIPRanges } from './ip-set.js';
import { cidrLabelValue, parseCIDR } from './cidr.js';
import { IPFormatError } from './errors.js';

describe('IP text', () => {
  it.each([
    ['2406:da1e:c4:ed01:c57d::0', '2406:da1e:c4:ed01:c57d::'],
    ['FD00::01', 'fd00::1'],
    ['fd00:0:0:1:0:0:0:1', 'fd00:0:0:1::1'],
    ['fd00:0:0:1:1:0:0:1', 'fd00::1:1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
    ['::1.2.3.4', '::102:304'],
    ['10.6.168.101', '10.6.168.101'],
  ])('%s is canonically %s', (input, expected) => {
    expect(canonicalIP(input)).toBe(expected);
  });

  it.each([
    '010.1.1.1',
    '1.2.3',
    '256.1.1.1',
    'fe80::1%eth0',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '::ffff:1.2.3.4',
    '',
    'x',
  ])('rejects %s', (input) => {
    expect(tryParseIP(input)).toBeUndefined();
    expect(() => parseIP(input)).toThrow(IPFormatError);
  });

  it('round-trips any IPv6 value through its canonical text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (v) => {
        fc.pre(v >> 32n !== 0xffffn);
        const text = formatIP(6, v);
        expect(parseIP(text)).toEqual({ family: 6, value: v });
        expect(text).toBe(text.toLowerCase());
      }),
      { numRuns: 1000 },
    );
  });
});

describe('IP ranges and sets', () => {
  it('keeps the seed AWS range parseable and gives its canonical form', () => {
    const seed = '2406:da1e:c4:ed01:c57d::0-2406:da1e:c4:ed01:c57d::f';
    const range = parseIPRange(seed, 6);
    expect(range.hi - range.lo).toBe(15n);
    expect(mergeIPRanges(6, [seed])).toEqual(['2406:da1e:c4:ed01:c57d::-2406:da1e:c4:ed01:c57d::f']);
    expect(mergeIPRanges(6, mergeIPRanges(6, [seed]))).toEqual(mergeIPRanges(6, [seed]));
  });

  it('merges like MergeIPRanges', () => {
    expect(mergeIPRanges(4, ['172.18.40.10', '172.18.40.1-172.18.40.3', '172.18.40.2-172.18.40.5'])).toEqual([
      '172.18.40.1-172.18.40.5',
      '172.18.40.10',
    ]);
  });

  it.each([
    '10.0.0.5-10.0.0.1',
    '10.0.0.0/24',
    '10.0.0.1-10.0.0.2-10.0.0.3',
    '10.0.0.1-fd00::1',
    '10.0.0.1 - 10.0.0.2',
  ])('rejects range %s', (text) => expect(() => parseIPRange(text)).toThrow(IPFormatError));

  it('counts, subtracts and intersects a /64 without enumerating', () => {
    const pool = IPSet.fromRanges(6, ['fd00::-fd00::ffff:ffff:ffff:ffff']);
    const excluded = IPSet.fromRanges(6, ['fd00::1', 'fd00::ffff:0:0:0-fd00::ffff:ffff:ffff:ffff']);
    const left = pool.subtract(excluded);
    expect(pool.size).toBe(1n << 64n);
    expect(left.size).toBe((1n << 64n) - 1n - (1n << 48n));
    expect(left.has(1n)).toBe(false);
    expect(left.intersect(excluded).isEmpty).toBe(true);
    expect(left.union(excluded).equals(pool)).toBe(true);
  });

  const smallSet = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 20 })), { maxLength: 12 })
    .map((pairs) =>
      IPSet.fromIntervals(
        4,
        pairs.map(([lo, len]) => ({ lo: BigInt(lo), hi: BigInt(lo + len) })),
      ),
    );
  const members = (s: IPSet): Set<bigint> => {
    const out = new Set<bigint>();
    for (const { lo, hi } of s.intervals) for (let v = lo; v <= hi; v++) out.add(v);
    return out;
  };

  it('agrees with element-wise set algebra', () => {
    fc.assert(
      fc.property(smallSet, smallSet, (a, b) => {
        const ma = members(a);
        const mb = members(b);
        expect(members(a.subtract(b))).toEqual(new Set([...ma].filter((v) => !mb.has(v))));
        expect(members(a.intersect(b))).toEqual(new Set([...ma].filter((v) => mb.has(v))));
        expect(members(a.union(b))).toEqual(new Set([...ma, ...mb]));
        expect(a.size).toBe(BigInt(ma.size));
        const probes = Array.from({ length: 330 }, (_, i) => BigInt(i));
        expect(probes.filter((v) => a.has(v))).toEqual(probes.filter((v) => ma.has(v)));
        const sorted = [...ma].sort((x, y) => (x < y ? -1 : 1));
        expect(sorted.map((_, k) => a.nth(BigInt(k)))).toEqual(sorted);
        expect(a.nth(BigInt(sorted.length))).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('format/parse round-trips range lists (IPv4 and /64-wide IPv6)', () => {
    const base = 0xfd00n << 112n;
    const v6 = fc
      .array(
        fc.tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 1n << 40n })),
        { maxLength: 8 },
      )
      .map((pairs) =>
        IPSet.fromIntervals(
          6,
          pairs.map(([lo, len]) => ({ lo: base + lo, hi: base + lo + len })),
        ),
      );
    fc.assert(
      fc.property(fc.oneof(smallSet, v6), (set) => {
        const text = set.toRanges();
        expect(IPSet.fromRanges(set.family, text).equals(set)).toBe(true);
        expect(mergeIPRanges(set.family, text)).toEqual(text);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('CIDR', () => {
  it('parses, canonicalises and labels', () => {
    expect(parseCIDR('172.18.0.1/16').canonical).toBe('172.18.0.0/16');
    expect(parseCIDR('FD00::/64').canonical).toBe('fd00::/64');
    expect(parseCIDR('fd00:0::/64').canonical).toBe('fd00::/64');
    expect(cidrLabelValue('172.18.40.0/24', 4)).toBe('172-18-40-0-24');
    expect(cidrLabelValue('fd00:db8::/64', 6)).toBe('fd00-db8---64');
    expect(() => parseCIDR('10.0.0.0/33')).toThrow(IPFormatError);
    expect(() => parseCIDR('10.0.0.0/8', 6)).toThrow(IPFormatError);
  });
});
