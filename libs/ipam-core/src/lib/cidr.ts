import { IPFormatError } from './errors.js';
import { FAMILY_BITS, FAMILY_MAX, formatIP, tryParseIP, type IPAddress, type IPFamily } from './ip-address.js';
import type { IPInterval } from './ip-range.js';

export interface CIDR extends IPInterval {
  readonly family: IPFamily;
  readonly prefix: number;
  /** The address as written (host bits possibly set). */
  readonly address: bigint;
  /** Canonical text: network address with host bits zeroed, then `/prefix` (Go `IPNet.String()`). */
  readonly canonical: string;
}

const PREFIX = /^(?:0|[1-9][0-9]{0,2})$/;

/** Parses `addr/prefix` (Go `net.ParseCIDR`); `lo`..`hi` are the network's first and last addresses. */
export function parseCIDR(text: string, family?: IPFamily): CIDR {
  const slash = text.indexOf('/');
  if (slash < 0) throw new IPFormatError(`invalid CIDR address '${text}'`);
  const ip = tryParseIP(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined || !PREFIX.test(prefixText)) throw new IPFormatError(`invalid CIDR address '${text}'`);
  const prefix = Number(prefixText);
  const bits = FAMILY_BITS[ip.family];
  if (prefix > bits) throw new IPFormatError(`invalid CIDR address '${text}'`);
  if (family !== undefined && ip.family !== family) {
    throw new IPFormatError(`'${text}' is not an IPv${family} CIDR`);
  }
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const lo = ip.value & (FAMILY_MAX[ip.family] ^ hostMask);
  return {
    family: ip.family,
    prefix,
    address: ip.value,
    lo,
    hi: lo | hostMask,
    canonical: `${formatIP(ip.family, lo)}/${prefix}`,
  };
}

export function tryParseCIDR(text: string, family?: IPFamily): CIDR | undefined {
  try {
    return parseCIDR(text, family);
  } catch (error) {
    if (error instanceof IPFormatError) return undefined;
    throw error;
  }
}

export function cidrContains(cidr: CIDR, ip: IPAddress): boolean {
  return ip.family === cidr.family && ip.value >= cidr.lo && ip.value <= cidr.hi;
}

export function cidrsOverlap(a: CIDR, b: CIDR): boolean {
  return a.family === b.family && a.lo <= b.hi && b.lo <= a.hi;
}

/**
 * `CIDRToLabelValue` (crds.md §1.2): replace the first 3 `.`, the first 7 `:` and the first `/` with `-`.
 * The CIDR must be valid for the family; the text itself is used as written.
 */
export function cidrLabelValue(text: string, family: IPFamily): string {
  parseCIDR(text, family);
  let dots = 0;
  let colons = 0;
  let slashes = 0;
  let out = '';
  for (const ch of text) {
    if (ch === '.' && dots < 3) {
      dots++;
      out += '-';
    } else if (ch === ':' && colons < 7) {
      colons++;
      out += '-';
    } else if (ch === '/' && slashes < 1) {
      slashes++;
      out += '-';
    } else {
      out += ch;
    }
  }
  return out;
}
