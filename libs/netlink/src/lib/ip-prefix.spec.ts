import type { ParsedIp } from './ip-prefix.js';
import { hasHostBits, isLinkLocal, networkOf, parseIp, parsePrefix, prefixContains } from './ip-prefix.js';

function ip(text: string): ParsedIp {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`test fixture ${text} is not an IP`);
  return parsed;
}

describe('ip-prefix', () => {
  it.each([
    ['10.1.2.3', '10.1.2.3', 4],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1', 6],
    ['fe80:0:0:0:1:0:0:1', 'fe80::1:0:0:1', 6],
    ['::', '::', 6],
  ])('canonicalises %s to %s', (input, text, family) => {
    expect(parseIp(input)).toMatchObject({ text, family });
  });

  it.each(['10.1.2', '1.2.3.4.5', 'fe80::1%eth0', 'x', ''])('rejects %p as an IP', (input) => {
    expect(parseIp(input)).toBeUndefined();
  });

  it('reads bare IPs as host prefixes and keeps host bits in the cidr text', () => {
    expect(parsePrefix('10.0.0.1')?.cidr).toBe('10.0.0.1/32');
    expect(parsePrefix('2001:db8::1')?.cidr).toBe('2001:db8::1/128');
    expect(parsePrefix('10.1.2.3/24')?.cidr).toBe('10.1.2.3/24');
    expect(parsePrefix('10.1.2.3/33')).toBeUndefined();
    expect(parsePrefix('10.1.2.3/2x')).toBeUndefined();
  });

  it('computes networks and containment for both families', () => {
    const v4 = parsePrefix('10.1.2.3/22');
    const v6 = parsePrefix('2001:db8:1:2::5/60');
    expect(v4 && networkOf(v4)).toBe('10.1.0.0/22');
    expect(v6 && networkOf(v6)).toBe('2001:db8:1::/60');
    expect(v4 && hasHostBits(v4)).toBe(true);
    const net = parsePrefix('10.1.0.0/22');
    expect(net && hasHostBits(net)).toBe(false);
    expect(v4 && prefixContains(v4, ip('10.1.3.255'))).toBe(true);
    expect(v4 && prefixContains(v4, ip('10.1.4.0'))).toBe(false);
    expect(v4 && prefixContains(v4, ip('2001:db8::1'))).toBe(false);
  });

  it('recognises link-local addresses', () => {
    expect(isLinkLocal(ip('169.254.1.1'))).toBe(true);
    expect(isLinkLocal(ip('fe80::1'))).toBe(true);
    expect(isLinkLocal(ip('10.0.0.1'))).toBe(false);
    expect(isLinkLocal(ip('2001:db8::1'))).toBe(false);
  });
});
