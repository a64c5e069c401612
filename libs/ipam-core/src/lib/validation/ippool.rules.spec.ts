// Rule table for the pure SpiderIPPool checks of crds.md §2.6 (IPP-V1..V5, V7..V10). Cluster-state checks (IPP-V6,
// the sibling part of IPP-V7, IPP-V11, IPP-U5) live in the webhook.
import { validateIPPoolSpec, type FamilyFlags } from './spec.validator.js';

const BOTH: FamilyFlags = { enableIPv4: true, enableIPv6: true };
/** Errors as `path:type`, comma-separated; `ok` when there are none. */
const summary = (errors: readonly { path: string; type: string }[]): string =>
  errors.length === 0 ? 'ok' : errors.map((e) => `${e.path}:${e.type}`).join(',');

describe('SpiderIPPool pure rules (crds.md §2.6)', () => {
  const v4 = (spec: Record<string, unknown>) => ({ ipVersion: 4, subnet: '172.18.0.0/16', ...spec });
  it.each<[string, Record<string, unknown>, string, FamilyFlags?]>([
    ['IPP-V1 null ipVersion', { ipVersion: null }, 'spec.ipVersion:Invalid'],
    ['IPP-V2 ipVersion 5', { ipVersion: 5 }, 'spec.ipVersion:NotSupported'],
    ['IPP-V3 IPv4 disabled', {}, 'spec.ipVersion:Forbidden', { enableIPv4: false, enableIPv6: true }],
    ['IPP-V4 not a CIDR of the family', { subnet: 'fd00::/64' }, 'spec.subnet:Invalid'],
    ['IPP-V4 prefix too long', { subnet: '172.18.0.0/33' }, 'spec.subnet:Invalid'],
    ['IPP-V5 not canonical', { subnet: '172.18.0.1/16' }, 'spec.subnet:Invalid'],
    ['IPP-V7 ip outside subnet', { ips: ['172.19.0.1'] }, 'spec.subnet:Invalid'],
    ['IPP-V7 excludeIP outside subnet', { excludeIPs: ['172.19.0.1'] }, 'spec.subnet:Invalid'],
    ['IPP-V7 overlapping ips entries', { ips: ['172.18.0.1-172.18.0.5', '172.18.0.3'] }, 'spec.subnet:Invalid'],
    ['IPP-V7 CIDR as range', { ips: ['172.18.0.0/24'] }, 'spec.subnet:Invalid'],
    ['IPP-V7 reversed single range is rejected (one strict parser)', { ips: ['172.18.0.9-172.18.0.1'] }, 'spec.subnet:Invalid'],
    ['IPP-V8 gateway outside subnet', { gateway: '10.0.0.1' }, 'spec.gateway:Invalid'],
    ['IPP-V8 gateway inside ips', { gateway: '172.18.0.1', ips: ['172.18.0.1-172.18.0.9'] }, 'spec.ips[0]:Invalid'],
    ['IPP-V8 gateway excluded', { gateway: '172.18.0.1', ips: ['172.18.0.1-172.18.0.9'], excludeIPs: ['172.18.0.1'] }, 'ok'],
    ['IPP-V9 default route', { routes: [{ dst: '0.0.0.0/0', gw: '172.18.0.1' }] }, 'spec.routes[0].dst:Invalid'],
    ['IPP-V9 duplicate dst', { routes: [{ dst: '10.0.0.0/8', gw: '172.18.0.1' }, { dst: '10.0.0.0/8', gw: '172.18.0.2' }] }, 'spec.routes[1].dst:Invalid'],
    ['IPP-V9 dst not a CIDR', { routes: [{ dst: '10.0.0.1', gw: '172.18.0.1' }] }, 'spec.routes[0].dst:Invalid'],
    ['IPP-V9 gw outside subnet', { routes: [{ dst: '10.0.0.0/8', gw: '10.0.0.1' }] }, 'spec.routes[0].gw:Invalid'],
    ['IPP-V10 empty podAffinity', { podAffinity: {} }, 'spec.podAffinity:Invalid'],
    ['IPP-V10 bad operator', { podAffinity: { matchExpressions: [{ key: 'a', operator: 'Has' }] } }, 'spec.podAffinity.matchExpressions[0].operator:NotSupported'],
    ['IPP-V10 In without values', { podAffinity: { matchExpressions: [{ key: 'a', operator: 'In' }] } }, 'spec.podAffinity.matchExpressions[0].values:Required'],
    ['IPP-V10 bad label value', { podAffinity: { matchLabels: { app: 'a b' } } }, 'spec.podAffinity.matchLabels:Invalid'],
    ['IPP-V10 good selector', { podAffinity: { matchLabels: { app: 'demo' } } }, 'ok'],
    ['IPP-V7+V10 errors are reported together', { ips: ['1.1.1.1'], podAffinity: {} }, 'spec.subnet:Invalid,spec.podAffinity:Invalid'],
  ])('%s', (_name, spec, want, flags = BOTH) => {
    expect(summary(validateIPPoolSpec(v4(spec), flags))).toBe(want);
  });

  it('IPP-V8: a non-canonical single IPv6 entry still conflicts with the gateway (quirk 3 fixed)', () => {
    expect(summary(validateIPPoolSpec({ ipVersion: 6, subnet: 'fd00::/64', gateway: 'fd00::1', ips: ['fd00::01'] }, BOTH))).toBe('spec.ips[0]:Invalid');
  });
});
