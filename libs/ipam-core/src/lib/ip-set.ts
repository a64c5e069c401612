import { IPFormatError } from './errors.js';
import { FAMILY_MAX, type IPFamily } from './ip-address.js';
import { formatIPRange, parseIPRange, type IPInterval } from './ip-range.js';

/** Sorts and merges intervals (overlapping or adjacent ones are joined). O(n log n). */
function normalise(intervals: readonly IPInterval[]): IPInterval[] {
  const sorted = [...intervals].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: IPInterval[] = [];
  for (const next of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && next.lo <= last.hi + 1n) {
      if (next.hi > last.hi) out[out.length - 1] = { lo: last.lo, hi: next.hi };
    } else {
      out.push({ lo: next.lo, hi: next.hi });
    }
  }
  return out;
}

/**
 * An immutable set of IPs of one family, kept as a sorted list of disjoint, non-adjacent inclusive intervals.
 * Memory and time depend on the number of intervals, never on the number of addresses, so a /64 is as cheap as a
 * /30. Binary operations are linear merges over both interval lists.
 */
export class IPSet {
  /** Lazily built prefix sums of interval sizes, for `nth`. */
  private starts: bigint[] | undefined;

  private constructor(
    readonly family: IPFamily,
    readonly intervals: readonly IPInterval[],
  ) {}

  static empty(family: IPFamily): IPSet {
    return new IPSet(family, []);
  }

  static fromIntervals(family: IPFamily, intervals: readonly IPInterval[]): IPSet {
    for (const { lo, hi } of intervals) {
      if (lo < 0n || hi > FAMILY_MAX[family] || lo > hi) throw new IPFormatError('interval out of range');
    }
    return new IPSet(family, normalise(intervals));
  }

  /** Builds a set from strict range strings (`A` or `A-B`); throws IPFormatError on the first bad entry. */
  static fromRanges(family: IPFamily, ranges: readonly string[]): IPSet {
    return new IPSet(family, normalise(ranges.map((text) => parseIPRange(text, family))));
  }

  get isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  /** Number of addresses (exact bigint). */
  get size(): bigint {
    let total = 0n;
    for (const { lo, hi } of this.intervals) total += hi - lo + 1n;
    return total;
  }

  /** Binary search; O(log n). */
  has(value: bigint): boolean {
    const i = this.indexAtOrBefore(value);
    return i >= 0 && (this.intervals[i] as IPInterval).hi >= value;
  }

  /** Index of the last interval whose `lo <= value`, or -1. */
  private indexAtOrBefore(value: bigint): number {
    let lo = 0;
    let hi = this.intervals.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.intervals[mid] as IPInterval).lo <= value) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The k-th address (0-based, ascending); O(log n) after an O(n) first call. Undefined when out of range. */
  nth(k: bigint): bigint | undefined {
    if (this.starts === undefined) {
      let acc = 0n;
      this.starts = this.intervals.map(({ lo, hi }) => {
        const start = acc;
        acc += hi - lo + 1n;
        return start;
      });
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] as bigint) <= k) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0 || k < 0n) return undefined;
    const interval = this.intervals[found] as IPInterval;
    const value = interval.lo + (k - (starts[found] as bigint));
    return value <= interval.hi ? value : undefined;
  }

  union(other: IPSet): IPSet {
    this.assertFamily(other);
    return new IPSet(this.family, normalise([...this.intervals, ...other.intervals]));
  }

  /** `this − other`, a linear sweep. */
  subtract(other: IPSet): IPSet {
    this.assertFamily(other);
    const out: IPInterval[] = [];
    let j = 0;
    const cut = other.intervals;
    for (const interval of this.intervals) {
      let lo = interval.lo;
      const hi = interval.hi;
      while (j < cut.length && (cut[j] as IPInterval).hi < lo) j++;
      let k = j;
      while (k < cut.length && (cut[k] as IPInterval).lo <= hi && lo <= hi) {
        const c = cut[k] as IPInterval;
        if (c.lo > lo) out.push({ lo, hi: c.lo - 1n });
        lo = c.hi + 1n;
        k++;
      }
      if (lo <= hi) out.push({ lo, hi });
    }
    return new IPSet(this.family, out);
  }

  intersect(other: IPSet): IPSet {
    this.assertFamily(other);
    const out: IPInterval[] = [];
    let i = 0;
    let j = 0;
    while (i < this.intervals.length && j < other.intervals.length) {
      const a = this.intervals[i] as IPInterval;
      const b = other.intervals[j] as IPInterval;
      const lo = a.lo > b.lo ? a.lo : b.lo;
      const hi = a.hi < b.hi ? a.hi : b.hi;
      if (lo <= hi) out.push({ lo, hi });
      if (a.hi < b.hi) i++;
      else j++;
    }
    return new IPSet(this.family, out);
  }

  overlaps(other: IPSet): boolean {
    return !this.intersect(other).isEmpty;
  }

  /** `other ⊆ this`. */
  containsSet(other: IPSet): boolean {
    return other.subtract(this).isEmpty;
  }

  equals(other: IPSet): boolean {
    if (this.family !== other.family || this.intervals.length !== other.intervals.length) return false;
    return this.intervals.every((a, i) => a.lo === other.intervals[i]?.lo && a.hi === other.intervals[i]?.hi);
  }

  /** The canonical merged range list (`MergeIPRanges` output): sorted, single IPs bare, runs as `a-b`. */
  toRanges(): string[] {
    return this.intervals.map((interval) => formatIPRange(this.family, interval));
  }

  private assertFamily(other: IPSet): void {
    if (other.family !== this.family) throw new IPFormatError('cannot combine IPv4 and IPv6 sets');
  }
}

/**
 * `MergeIPRanges` (crds.md §1.2): parse strict ranges of one family, dedupe, sort and collapse.
 * `["172.18.40.10","172.18.40.1-172.18.40.3","172.18.40.2-172.18.40.5"]` → `["172.18.40.1-172.18.40.5","172.18.40.10"]`.
 */
export function mergeIPRanges(family: IPFamily, ranges: readonly string[]): string[] {
  return IPSet.fromRanges(family, ranges).toRanges();
}

/** `mergeIPRanges`, or undefined when an entry is not a strict range of the family (the mutators then stop). */
export function tryMergeIPRanges(family: IPFamily, ranges: readonly string[]): string[] | undefined {
  try {
    return mergeIPRanges(family, ranges);
  } catch (error) {
    if (error instanceof IPFormatError) return undefined;
    throw error;
  }
}
