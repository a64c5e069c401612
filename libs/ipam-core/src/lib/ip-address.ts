import { IPFormatError } from './errors.js';

export type IPFamily = 4 | 6;

/** An IP address as a number: IPv4 in [0, 2^32), IPv6 in [0, 2^128). */
export interface IPAddress {
  readonly family: IPFamily;
  readonly value: bigint;
}

export const FAMILY_BITS: Readonly<Record<IPFamily, number>> = { 4: 32, 6: 128 };
export const FAMILY_MAX: Readonly<Record<IPFamily, bigint>> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

const DECIMAL_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIPv4Value(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseGroups(text: string, allowTrailingIPv4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (allowTrailingIPv4 && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4Value(part);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      continue;
    }
    if (!HEX_GROUP.test(part)) return undefined;
    groups.push(parseInt(part, 16));
  }
  return groups;
}

function parseIPv6Value(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] as string, false);
    const tail = parseGroups(halves[1] as string, true);
    if (head === undefined || tail === undefined) return undefined;
    const missing = 8 - head.length - tail.length;
    // "::" stands for at least one zero group.
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (all === undefined || all.length !== 8) return undefined;
    groups = all;
  }
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

const V4_MAPPED_PREFIX = 0xffffn << 32n;

/**
 * Parses one IP address (Go `net.ParseIP` rules: no zones, no leading zeros in IPv4 octets). The family is IPv4
 * when the text contains `.` and no `:`, IPv6 when it contains `:`. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`)
 * are rejected because their family is ambiguous (see docs/compat.md).
 */
export function tryParseIP(text: string): IPAddress | undefined {
  if (text.includes(':')) {
    if (text.includes('%')) return undefined;
    const value = parseIPv6Value(text);
    if (value === undefined) return undefined;
    if (value >> 32n === V4_MAPPED_PREFIX >> 32n) return undefined;
    return { family: 6, value };
  }
  const value = parseIPv4Value(text);
  return value === undefined ? undefined : { family: 4, value };
}

export function parseIP(text: string, family?: IPFamily): IPAddress {
  const ip = tryParseIP(text);
  if (ip === undefined) throw new IPFormatError(`invalid IP address '${text}'`);
  if (family !== undefined && ip.family !== family) {
    throw new IPFormatError(`IP address '${text}' is not an IPv${family} address`);
  }
  return ip;
}

function formatIPv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  // RFC 5952: compress the longest run (>= 2) of zero groups; the first run wins a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** Canonical text (Go `net.IP.String()`): dotted decimal, or RFC 5952 lowercase compressed IPv6. */
export function formatIP(family: IPFamily, value: bigint): string {
  return family === 4 ? formatIPv4(value) : formatIPv6(value);
}

/** Canonical text of a parsed IP string (throws IPFormatError when it does not parse). */
export function canonicalIP(text: string, family?: IPFamily): string {
  const ip = parseIP(text, family);
  return formatIP(ip.family, ip.value);
}
