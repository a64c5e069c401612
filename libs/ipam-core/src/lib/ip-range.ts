import { IPFormatError } from './errors.js';
import { formatIP, parseIP, type IPFamily } from './ip-address.js';

/** An inclusive interval of IP values of one family. */
export interface IPInterval {
  readonly lo: bigint;
  readonly hi: bigint;
}

export interface IPRange extends IPInterval {
  readonly family: IPFamily;
}

/**
 * Parses the strict IP range syntax of crds.md §1.1: `A` or `A-B` (exactly one `-`, no spaces, no `/`), both ends
 * of the same family, `A <= B`. When `family` is given the range must be of that family.
 */
export function parseIPRange(text: string, family?: IPFamily): IPRange {
  if (text.includes('/')) throw new IPFormatError(`invalid IP range '${text}': CIDR notation is not a range`);
  const parts = text.split('-');
  if (parts.length > 2) throw new IPFormatError(`invalid IP range '${text}'`);
  const lo = parseIP(parts[0] as string, family);
  const hi = parts.length === 2 ? parseIP(parts[1] as string, lo.family) : lo;
  if (lo.value > hi.value) throw new IPFormatError(`invalid IP range '${text}': start is greater than end`);
  return { family: lo.family, lo: lo.value, hi: hi.value };
}

export function tryParseIPRange(text: string, family?: IPFamily): IPRange | undefined {
  try {
    return parseIPRange(text, family);
  } catch (error) {
    if (error instanceof IPFormatError) return undefined;
    throw error;
  }
}

/** Canonical text of one interval: a bare IP for a single address, else `first-last`. */
export function formatIPRange(family: IPFamily, interval: IPInterval): string {
  const lo = formatIP(family, interval.lo);
  return interval.lo === interval.hi ? lo : `${lo}-${formatIP(family, interval.hi)}`;
}
