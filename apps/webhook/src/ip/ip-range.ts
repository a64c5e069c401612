// IP / CIDR / range helpers for the admission rules (crds.md §1.1, §1.2). Parsing, canonical text, CIDR math,
// range merging and label values come from @spiderpool/ipam-core (one implementation, one strict range parser);
// this module adapts them to the `null`-on-failure style the rules use and adds interval set arithmetic.
import {
  cidrLabelValue,
  formatIP as coreFormatIP,
  IPFormatError,
  mergeIPRanges as coreMergeIPRanges,
  tryParseCIDR,
  tryParseIP,
  type IPFamily,
} from '@spiderpool/ipam-core';

export type { IPFamily };

export interface ParsedIP {
  readonly family: IPFamily;
  readonly value: bigint;
}

export interface ParsedCIDR {
  readonly family: IPFamily;
  /** The address part as written (host bits kept). */
  readonly address: bigint;
  readonly prefix: number;
  /** First and last address of the network. */
  readonly first: bigint;
  readonly last: bigint;
}

/** An inclusive numeric interval. */
export interface IPInterval {
  readonly start: bigint;
  readonly end: bigint;
}

/** Go `net.ParseIP` plus the govalidator family rule (ipam-core). Null when it does not parse. */
export function parseIP(text: string): ParsedIP | null {
  return tryParseIP(text) ?? null;
}

export function parseIPOfFamily(text: string, family: IPFamily): ParsedIP | null {
  const ip = parseIP(text);
  return ip !== null && ip.family === family ? ip : null;
}

/** Canonical text (Go `net.IP.String()`, RFC 5952 for IPv6). */
export const formatIP = (family: IPFamily, value: bigint): string => coreFormatIP(family, value);

export function canonicalIP(text: string): string | null {
  const ip = parseIP(text);
  return ip === null ? null : formatIP(ip.family, ip.value);
}

/** Go `net.ParseCIDR`: the family comes from the address part. */
export function parseCIDR(text: string): ParsedCIDR | null {
  const c = tryParseCIDR(text);
  return c === undefined ? null : { family: c.family, address: c.address, prefix: c.prefix, first: c.lo, last: c.hi };
}

export function parseCIDROfFamily(text: string, family: IPFamily): ParsedCIDR | null {
  const cidr = parseCIDR(text);
  return cidr !== null && cidr.family === family ? cidr : null;
}

/** Canonical CIDR text (Go `IPNet.String()`): network address + prefix. */
export function canonicalCIDR(cidr: ParsedCIDR): string {
  return `${formatIP(cidr.family, cidr.first)}/${cidr.prefix}`;
}

export function cidrsOverlap(a: ParsedCIDR, b: ParsedCIDR): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export type RangeParse = { ok: true; interval: IPInterval } | { ok: false; reason: string };

/**
 * The one strict IP-range parser (crds.md §1.1, ipam-core): `IP` or `IP-IP` of `family`, start <= end, no `/`.
 * Used for every kind, including IPPool `ips` (upstream's pool parser swapped reversed ranges; see compat.md).
 */
export function parseIPRange(text: string, family: IPFamily): RangeParse {
  if (text.includes('/')) return { ok: false, reason: `invalid IP range '${text}': CIDR notation is not a range` };
  const parts = text.split('-');
  if (parts.length > 2) return { ok: false, reason: `invalid IP range '${text}'` };
  const ends = parts.map((p) => parseIPOfFamily(p, family));
  if (ends.some((e) => e === null)) return { ok: false, reason: `invalid IPv${family} address or range '${text}'` };
  const start = (ends[0] as ParsedIP).value;
  const end = (ends[ends.length - 1] as ParsedIP).value;
  if (start > end) return { ok: false, reason: `invalid IP range '${text}': start is greater than end` };
  return { ok: true, interval: { start, end } };
}

/** Sort and merge overlapping or adjacent intervals. */
export function normalizeIntervals(intervals: readonly IPInterval[]): IPInterval[] {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: { start: bigint; end: bigint }[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && iv.start <= last.end + 1n) {
      if (iv.end > last.end) last.end = iv.end;
    } else {
      out.push({ start: iv.start, end: iv.end });
    }
  }
  return out;
}

/** `a` minus `b`; both normalised. */
export function subtractIntervals(a: readonly IPInterval[], b: readonly IPInterval[]): IPInterval[] {
  const out: IPInterval[] = [];
  const bs = normalizeIntervals(b);
  for (const iv of normalizeIntervals(a)) {
    let cursor = iv.start;
    for (const cut of bs) {
      if (cut.end < cursor || cut.start > iv.end) continue;
      if (cut.start > cursor) out.push({ start: cursor, end: cut.start - 1n });
      cursor = cut.end + 1n;
      if (cursor > iv.end) break;
    }
    if (cursor <= iv.end) out.push({ start: cursor, end: iv.end });
  }
  return out;
}

export function intervalsIntersect(a: readonly IPInterval[], b: readonly IPInterval[]): boolean {
  return a.some((x) => b.some((y) => x.start <= y.end && y.start <= x.end));
}

export function intervalsContain(set: readonly IPInterval[], value: bigint): boolean {
  return set.some((iv) => iv.start <= value && value <= iv.end);
}

export function countIntervals(set: readonly IPInterval[]): bigint {
  return normalizeIntervals(set).reduce((n, iv) => n + iv.end - iv.start + 1n, 0n);
}

/** Render normalised intervals as canonical range text (`first-last`, or a bare IP). */
export function formatIntervals(family: IPFamily, set: readonly IPInterval[]): string[] {
  return normalizeIntervals(set).map((iv) =>
    iv.start === iv.end ? formatIP(family, iv.start) : `${formatIP(family, iv.start)}-${formatIP(family, iv.end)}`,
  );
}

/** Parse every entry strictly; null if any entry is bad. */
export function parseStrictRanges(entries: readonly string[], family: IPFamily): IPInterval[] | null {
  const out: IPInterval[] = [];
  for (const e of entries) {
    const r = parseIPRange(e, family);
    if (!r.ok) return null;
    out.push(r.interval);
  }
  return out;
}

const orNull = <T>(f: () => T): T | null => {
  try {
    return f();
  } catch (err) {
    if (err instanceof IPFormatError) return null;
    throw err;
  }
};

/** `MergeIPRanges` (§1.2, ipam-core). Null when any entry is bad. */
export const mergeIPRanges = (family: IPFamily, entries: readonly string[]): string[] | null =>
  orNull(() => coreMergeIPRanges(family, entries));

/** `CIDRToLabelValue` (§1.2, ipam-core). Null when the CIDR is not valid for the family. */
export const cidrToLabelValue = (family: IPFamily, cidr: string): string | null => orNull(() => cidrLabelValue(cidr, family));

export function ipVersionOfCIDR(cidr: string): IPFamily | null {
  return parseCIDR(cidr)?.family ?? null;
}
