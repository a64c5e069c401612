// Rule table for the pure SpiderSubnet checks of crds.md §3.6 (SUB-V1..V5, V8..V11). SUB-V6/V7 (other subnets and
// pools) live in the webhook.
import { validateSubnetSpec, type FamilyFlags } from './spec.validator.js';

const BOTH: FamilyFlags = { enableIPv4: true, enableIPv6: true };
const summary = (errors: readonly { path: string; type: string }[]): string =>
  errors.length === 0 ? 'ok' : errors.map((e) => `${e.path}:${e.type}`).join(',');

describe('SpiderSubnet pure rules (crds.md §3.6)', () => {
  const v4 = (spec: Record<string, unknown>) => ({ ipVersion: 4, subnet: '10.6.0.0/16', ips: ['10.6.0.1-10.6.0.100'], ...spec });
  it.each<[string, Record<string, unknown>, string, FamilyFlags?]>([
    ['SUB-V1 null ipVersion', { ipVersion: null }, 'spec.ipVersion:Invalid'],
    ['SUB-V2 ipVersion 7', { ipVersion: 7 }, 'spec.ipVersion:NotSupported'],
    ['SUB-V3 IPv6 disabled', { ipVersion: 6, subnet: 'fd00::/64', ips: ['fd00::1'] }, 'spec.ipVersion:Forbidden', { enableIPv4: true, enableIPv6: false }],
    ['SUB-V4 bad CIDR', { subnet: '10.6.0.0/33' }, 'spec.subnet:Invalid'],
    ['SUB-V5 not canonical', { subnet: '10.6.0.1/16' }, 'spec.subnet:Invalid'],
    ['SUB-V8 reversed range (strict)', { ips: ['10.6.0.9-10.6.0.1'] }, 'spec.ips[0]:Invalid'],
    ['SUB-V8 outside subnet, reported at its index', { ips: ['10.6.0.1', '10.7.0.1'] }, 'spec.ips[1]:Invalid'],
    ['SUB-V9 bad exclude', { excludeIPs: ['10.6.0.1', 'x'] }, 'spec.excludeIPs[1]:Invalid'],
    ['SUB-V10 gateway in ips', { gateway: '10.6.0.5' }, 'spec.ips[0]:Invalid'],
    ['SUB-V11 default route', { routes: [{ dst: '0.0.0.0/0', gw: '10.6.0.1' }] }, 'spec.routes[0].dst:Invalid'],
    ['valid', { gateway: '10.6.0.254' }, 'ok'],
  ])('%s', (_name, spec, want, flags = BOTH) => {
    expect(summary(validateSubnetSpec(v4(spec), flags))).toBe(want);
  });
});
