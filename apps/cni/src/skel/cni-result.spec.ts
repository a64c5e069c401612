import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrevResult, printResult, type CniResult } from './cni-result.js';

const GOLDEN = join(import.meta.dirname, '__golden__');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

const DUAL_STACK: CniResult = {
  ips: [
    { address: '172.18.40.23/24', gateway: '172.18.40.1' },
    { address: 'fd00:172:18::23/64', gateway: 'fd00:172:18::1' },
  ],
  routes: [
    { dst: '0.0.0.0/0', gw: '172.18.40.1' },
    { dst: '::/0', gw: 'fd00:172:18::1' },
  ],
  dns: {},
};
const NO_GATEWAY: CniResult = {
  ips: [{ address: '10.6.1.20/16' }],
  routes: [{ dst: '10.7.0.0/16' }],
  dns: {},
};

const CASES: [string, CniResult, string][] = [
  ['dual-stack-0.3.1', DUAL_STACK, '0.3.1'],
  ['dual-stack-0.4.0', DUAL_STACK, '0.4.0'],
  ['dual-stack-1.0.0', DUAL_STACK, '1.0.0'],
  ['dual-stack-1.1.0', DUAL_STACK, '1.1.0'],
  ['no-gateway-1.0.0', NO_GATEWAY, '1.0.0'],
  ['no-gateway-0.3.1', NO_GATEWAY, '0.3.1'],
];

describe('result printer (golden files)', () => {
  it.each(CASES)('%s', (name, result, version) => {
    const file = join(GOLDEN, `${name}.expected`);
    const printed = printResult(result, version);
    if (UPDATE) writeFileSync(file, printed);
    expect(printed).toBe(readFileSync(file, 'utf8'));
  });

  it('reads back every printed version as the same result (prevResult round trip)', () => {
    for (const [, result, version] of CASES) {
      const back = parsePrevResult(JSON.parse(printResult(result, version)));
      expect(back).toEqual({ ok: true, result });
    }
  });
});
