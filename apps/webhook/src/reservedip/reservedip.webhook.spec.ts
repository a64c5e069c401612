import { AdmissionHarness, ALL_FLAGS, verdict } from '../admission/admission-harness.fake.js';
import type { FeatureFlags } from '../config/schema.js';
import { reservedIPWebhook } from './reservedip.module.js';

const rip = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({ metadata: { name: 'r', ...meta }, spec });
const h = (flags: Partial<FeatureFlags> = {}) => new AdmissionHarness(reservedIPWebhook({ ...ALL_FLAGS, ...flags }));

describe('SpiderReservedIP webhooks', () => {
  it('RIP-M3/M4: ipVersion from ips[0], merged ips, no finalizer', async () => {
    const out = await h().mutate(rip({ ips: ['10.0.0.3', '10.0.0.1-10.0.0.2'] }));
    expect(out.spec).toEqual({ ipVersion: 4, ips: ['10.0.0.1-10.0.0.3'] });
    expect(out.metadata?.finalizers).toBeUndefined();
  });
  it('RIP-M2: empty ips leaves ipVersion null; RIP-M3: bad ips[0] leaves it null', async () => {
    expect((await h().mutate(rip({ ips: [] }))).spec).toEqual({ ips: [] });
    expect((await h().mutate(rip({ ips: ['10.0.0.0/24'] }))).spec).toEqual({ ips: ['10.0.0.0/24'] });
  });
  // Wiring only: the rules have their table in libs/ipam-core/src/lib/validation/reservedip.rules.spec.ts.
  it.each<[string, Record<string, unknown>, string]>([
    ['RIP-V1 → Invalid', { ips: [] }, '422 spec.ipVersion:FieldValueInvalid'],
    ['RIP-V2 → NotSupported', { ipVersion: 5 }, '422 spec.ipVersion:FieldValueNotSupported'],
    ['RIP-V4 → the entry index in the path', { ipVersion: 4, ips: ['10.0.0.1', '10.0.0.0/24'] }, '422 spec.ips[1]:FieldValueInvalid'],
    ['valid → allowed', { ipVersion: 6, ips: [] }, 'allowed'],
  ])('%s', async (_n, spec, want) => {
    expect(verdict(await h().create(rip(spec)))).toBe(want);
  });
  it('RIP-V3: family disabled', async () => {
    expect(verdict(await h({ enableIPv4: false }).create(rip({ ipVersion: 4, ips: ['10.0.0.1'] })))).toBe('422 spec.ipVersion:FieldValueForbidden');
  });
  it('RIP-U0/U1', async () => {
    const old = rip({ ipVersion: 4, ips: ['10.0.0.1'] });
    expect(verdict(await h().update(old, rip({ ipVersion: 6, ips: ['fd00::1'] })))).toBe('422 spec.ipVersion:FieldValueForbidden');
    const term = rip({ ipVersion: 4, ips: ['bad'] }, { deletionTimestamp: 'x' });
    expect(verdict(await h().update(old, term))).toBe('allowed');
    expect(verdict(await h().update(term, term))).toBe('403');
  });
});
