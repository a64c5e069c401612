// Rule table for the SpiderReservedIP checks of crds.md §4.4 (RIP-V1..V4); all of them are pure.
import { validateReservedIPSpec, type FamilyFlags } from './spec.validator.js';

const BOTH: FamilyFlags = { enableIPv4: true, enableIPv6: true };
const summary = (errors: readonly { path: string; type: string }[]): string =>
  errors.length === 0 ? 'ok' : errors.map((e) => `${e.path}:${e.type}`).join(',');

describe('SpiderReservedIP rules (crds.md §4.4)', () => {
  it.each<[string, Record<string, unknown>, string, FamilyFlags?]>([
    ['RIP-V1 null ipVersion', { ips: [] }, 'spec.ipVersion:Invalid'],
    ['RIP-V2 ipVersion 5', { ipVersion: 5 }, 'spec.ipVersion:NotSupported'],
    ['RIP-V3 family disabled', { ipVersion: 4, ips: ['10.0.0.1'] }, 'spec.ipVersion:Forbidden', { enableIPv4: false, enableIPv6: true }],
    ['RIP-V4 CIDR entry', { ipVersion: 4, ips: ['10.0.0.1', '10.0.0.0/24'] }, 'spec.ips[1]:Invalid'],
    ['RIP-V4 reversed', { ipVersion: 4, ips: ['10.0.0.9-10.0.0.1'] }, 'spec.ips[0]:Invalid'],
    ['RIP-V4 wrong family', { ipVersion: 6, ips: ['10.0.0.1'] }, 'spec.ips[0]:Invalid'],
    ['RIP-V4 mixed families', { ipVersion: 4, ips: ['10.0.0.1', 'fd00::1'] }, 'spec.ips[1]:Invalid'],
    ['empty ips with explicit ipVersion', { ipVersion: 6, ips: [] }, 'ok'],
  ])('%s', (_name, spec, want, flags = BOTH) => {
    expect(summary(validateReservedIPSpec(spec, flags))).toBe(want);
  });
});
