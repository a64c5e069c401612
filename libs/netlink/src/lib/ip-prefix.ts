import { isIPv4, isIPv6 } from 'node:net';

/** IP address family as the kernel and `ip -4/-6` name it. */
export type IpFamily = 4 | 6;

export interface ParsedIp {
  readonly family: IpFamily;
  /** Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6 (what `ip` prints). */
  readonly text: string;
  readonly value: bigint;
}

export interface ParsedPrefix extends ParsedIp {
  readonly prefixLen: number;
  /** `text/prefixLen`, host bits kept as given. */
  readonly cidr: string;
}

const bitsOf = (family: IpFamily): number => (family === 4 ? 32 : 128);

function v6Canonical(text: string): string {
  // The WHATWG URL serializer emits the RFC 5952 form, which matches inet_ntop for ordinary addresses.
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

function v6Value(canonical: string): bigint {
  const [head = '', tail] = canonical.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const expand = (parts: string[]): string[] =>
    parts.flatMap((p) => {
      if (!p.includes('.')) return [p];
      const v4 = p.split('.').map(Number);
      return [
        (((v4[0] ?? 0) << 8) | (v4[1] ?? 0)).toString(16),
        (((v4[2] ?? 0) << 8) | (v4[3] ?? 0)).toString(16),
      ];
    });
  const h = expand(headParts);
  const t = expand(tailParts);
  const groups =
    tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses an IP address; returns undefined when `text` is not one. */
export function parseIp(text: string): ParsedIp | undefined {
  const t = text.trim();
  if (isIPv4(t)) {
    const value = t.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
    return { family: 4, text: t.split('.').map(Number).join('.'), value };
  }
  if (isIPv6(t) && !t.includes('%')) {
    const canonical = v6Canonical(t);
    return { family: 6, text: canonical, value: v6Value(canonical) };
  }
  return undefined;
}

/** Parses `ip/len`, or a bare IP as a host prefix (/32, /128). */
export function parsePrefix(text: string): ParsedPrefix | undefined {
  const [ipText = '', lenText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const ip = parseIp(ipText);
  if (!ip) return undefined;
  const max = bitsOf(ip.family);
  if (lenText !== undefined && !/^\d{1,3}$/.test(lenText)) return undefined;
  const prefixLen = lenText === undefined ? max : Number(lenText);
  if (prefixLen > max) return undefined;
  return { ...ip, prefixLen, cidr: `${ip.text}/${prefixLen}` };
}

function maskOf(family: IpFamily, prefixLen: number): bigint {
  const bits = BigInt(bitsOf(family));
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefixLen))) - 1n);
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  return v6Canonical(groups.join(':'));
}

/** The network prefix of `p` (host bits cleared), as CIDR text. */
export function networkOf(p: ParsedPrefix): string {
  return `${formatIp(p.family, p.value & maskOf(p.family, p.prefixLen))}/${p.prefixLen}`;
}

export function hasHostBits(p: ParsedPrefix): boolean {
  return (p.value & maskOf(p.family, p.prefixLen)) !== p.value;
}

export function prefixContains(p: ParsedPrefix, ip: ParsedIp): boolean {
  if (p.family !== ip.family) return false;
  const mask = maskOf(p.family, p.prefixLen);
  return (p.value & mask) === (ip.value & mask);
}

export function isLinkLocal(ip: ParsedIp): boolean {
  return ip.family === 4 ? ip.value >> 16n === 0xa9fen : ip.value >> 118n === 0x3fan;
}
