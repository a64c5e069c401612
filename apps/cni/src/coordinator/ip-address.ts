// Small IP/CIDR helpers for the coordinator (family, scope tests, masking). Text in, canonical text out.
import { isIP } from 'node:net';

export type Family = 4 | 6;

export interface Cidr {
  readonly family: Family;
  /** Canonical IP text (host bits as given). */
  readonly ip: string;
  readonly prefixLen: number;
}

function toBigInt(ip: string, family: Family): bigint {
  if (family === 4) return ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
  const canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const [head = '', tail] = canonical.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function fromBigInt(value: bigint, family: Family): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** Family of an IP text, or undefined when it is not one (zone ids are rejected). */
export function ipFamily(text: string): Family | undefined {
  const v = isIP(text.trim());
  if (v === 4) return 4;
  if (v === 6 && !text.includes('%')) return 6;
  return undefined;
}

export function canonicalIp(text: string): string | undefined {
  const family = ipFamily(text);
  return family === undefined ? undefined : fromBigInt(toBigInt(text.trim(), family), family);
}

/** `ip/len`, or a bare IP as a host prefix. Undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [ipText = '', lenText, ...rest] = text.trim().split('/');
  if (rest.length > 0) return undefined;
  const family = ipFamily(ipText);
  if (family === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (lenText !== undefined && !/^\d{1,3}$/.test(lenText)) return undefined;
  const prefixLen = lenText === undefined ? max : Number(lenText);
  if (prefixLen > max) return undefined;
  return { family, ip: fromBigInt(toBigInt(ipText, family), family), prefixLen };
}

/** The network prefix of a CIDR (host bits cleared), e.g. `10.1.2.3/16` → `10.1.0.0/16`. */
export function networkOf(c: Cidr): string {
  const bits = c.family === 4 ? 32 : 128;
  const all = (1n << BigInt(bits)) - 1n;
  const mask = c.prefixLen === 0 ? 0n : (all >> BigInt(bits - c.prefixLen)) << BigInt(bits - c.prefixLen);
  return `${fromBigInt(toBigInt(c.ip, c.family) & mask, c.family)}/${c.prefixLen}`;
}

/** Host prefix `/32` or `/128` of an IP. */
export function hostPrefix(ip: string): string {
  return `${ip}/${ipFamily(ip) === 6 ? 128 : 32}`;
}

export function isLinkLocal(ip: string): boolean {
  const family = ipFamily(ip);
  if (family === 4) return ip.startsWith('169.254.');
  if (family === 6) return toBigInt(ip, 6) >> 118n === 0x3fan; // fe80::/10
  return false;
}

export function isMulticast(ip: string): boolean {
  const family = ipFamily(ip);
  if (family === 4) return Number(ip.split('.')[0]) >= 224 && Number(ip.split('.')[0]) <= 239;
  if (family === 6) return toBigInt(ip, 6) >> 120n === 0xffn;
  return false;
}

/** The last `n` bytes of an address (IPv4: all 4; IPv6: the low-order ones). */
export function lastBytes(ip: string, n: number): number[] {
  const family = ipFamily(ip) ?? 4;
  const value = toBigInt(ip, family);
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(Number((value >> BigInt(i * 8)) & 255n));
  return out;
}

export function isDefaultDst(dst: string): boolean {
  return dst === '0.0.0.0/0' || dst === '::/0' || dst === 'default';
}
