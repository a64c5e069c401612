import { inRange6, ipv6ToBigInt } from './multi-nic.steps.js';

describe('IPv6 ranges of the AWS journey', () => {
  it('expands :: forms', () => {
    expect(ipv6ToBigInt('::1')).toBe(1n);
    expect(ipv6ToBigInt('2406:da1e:c4:ed01:c57d::')).toBe(ipv6ToBigInt('2406:da1e:c4:ed01:c57d:0:0:0'));
    expect(() => ipv6ToBigInt('1:2:3')).toThrow();
  });

  it('checks inclusive ranges', () => {
    const [from, to] = ['2406:da1e:c4:ed01:c57d::0', '2406:da1e:c4:ed01:c57d::f'];
    expect(inRange6('2406:da1e:c4:ed01:c57d::f', from, to)).toBe(true);
    expect(inRange6('2406:da1e:c4:ed01:c57d::', from, to)).toBe(true);
    expect(inRange6('2406:da1e:c4:ed01:c57d::10', from, to)).toBe(false);
    expect(inRange6('2406:da1e:c4:ed02:c57d::1', from, to)).toBe(false);
  });
});
