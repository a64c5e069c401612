import { AdmissionHarness, ALL_FLAGS, verdict } from '../admission/admission-harness.fake.js';
import type { KubeObject } from '../admission/kind-webhook.js';
import { FakeClusterReader } from '../cluster/cluster-reader.fake.js';
import type { FeatureFlags } from '../config/schema.js';
import { subnetWebhook } from './subnet.module.js';

const subnet = (name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  kind: 'SpiderSubnet',
  metadata: { name, finalizers: ['spiderpool.spidernet.io'] },
  spec,
  ...(status ? { status } : {}),
});

function setup(flags: Partial<FeatureFlags> = {}) {
  const reader = new FakeClusterReader();
  return { reader, h: new AdmissionHarness(subnetWebhook(reader, { ...ALL_FLAGS, ...flags })) };
}

describe('SpiderSubnet mutating webhook', () => {
  it('SUB-M2..M6: finalizer, ipVersion, subnet-cidr label, merged ranges', async () => {
    const out = await setup().h.mutate({ metadata: { name: 's' }, spec: { subnet: 'fd00:db8::/64', ips: ['fd00:db8::2', 'fd00:db8::1'], excludeIPs: ['fd00:db8::5', 'FD00:db8::6'] } });
    expect(out.metadata?.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect(out.metadata?.labels).toEqual({ 'ipam.spidernet.io/subnet-cidr': 'fd00-db8---64' });
    expect(out.spec).toMatchObject({ ipVersion: 6, ips: ['fd00:db8::1-fd00:db8::2'], excludeIPs: ['fd00:db8::5-fd00:db8::6'] });
  });
  it('SUB-M1: terminating → unchanged', async () => {
    const obj = { metadata: { name: 's', deletionTimestamp: 'x' }, spec: { subnet: '10.0.0.0/8' } };
    expect(await setup().h.mutate(obj)).toEqual(obj);
  });
});

describe('SpiderSubnet validating webhook', () => {
  const v4 = (spec: Record<string, unknown>) => subnet('new', { ipVersion: 4, subnet: '10.6.0.0/16', ips: ['10.6.0.1-10.6.0.100'], ...spec });
  // Wiring only: the pure rules have their table in libs/ipam-core/src/lib/validation/subnet.rules.spec.ts.
  it.each<[string, Record<string, unknown>, string]>([
    ['SUB-V2 → NotSupported', { ipVersion: 7 }, '422 spec.ipVersion:FieldValueNotSupported'],
    ['SUB-V5 → Invalid spec.subnet', { subnet: '10.6.0.1/16' }, '422 spec.subnet:FieldValueInvalid'],
    ['SUB-V9 → the entry index in the path', { excludeIPs: ['10.6.0.1', 'x'] }, '422 spec.excludeIPs[1]:FieldValueInvalid'],
    ['valid → allowed', { gateway: '10.6.0.254' }, 'allowed'],
  ])('%s', async (_n, spec, want) => {
    expect(verdict(await setup().h.create(v4(spec)))).toBe(want);
  });

  it('SUB-V3: IPv6 disabled', async () => {
    expect(verdict(await setup({ enableIPv6: false }).h.create(subnet('s', { ipVersion: 6, subnet: 'fd00::/64' })))).toBe('422 spec.ipVersion:FieldValueForbidden');
  });

  it('SUB-V6: name clash → 409; overlapping or identical CIDR → 422', async () => {
    const { h, reader } = setup();
    reader.subnets = [subnet('old', { ipVersion: 4, subnet: '10.6.0.0/16' })];
    expect(verdict(await h.create(subnet('old', { ipVersion: 4, subnet: '10.9.0.0/16' })))).toBe('409');
    const same = await h.create(v4({}));
    expect(verdict(same)).toBe('422 spec.subnet:FieldValueInvalid');
    expect(same.status?.message).toContain("overlaps with Subnet 'old'");
  });

  it('SUB-V7: pools of another overlapping CIDR reject; same-CIDR pools must fit', async () => {
    const { h, reader } = setup();
    reader.pools = [{ metadata: { name: 'narrow' }, spec: { ipVersion: 4, subnet: '10.6.1.0/24', ips: ['10.6.1.1'] } }];
    expect(verdict(await h.create(v4({})))).toBe('422 spec.subnet:FieldValueInvalid');
    reader.pools = [{ metadata: { name: 'same' }, spec: { ipVersion: 4, subnet: '10.6.0.0/16', ips: ['10.6.0.200'] } }];
    const r = await h.create(v4({}));
    expect(verdict(r)).toBe('422 spec.ips:FieldValueInvalid');
    expect(r.status?.message).toContain("SpiderIPPool 'same' owns IPs");
    reader.pools = [{ metadata: { name: 'same' }, spec: { ipVersion: 4, subnet: '10.6.0.0/16', ips: ['10.6.0.20'] } }];
    expect(verdict(await h.create(v4({})))).toBe('allowed');
  });

  it('SUB-U0/U1/U4: terminating, immutable, pre-allocations kept', async () => {
    const { h } = setup();
    const status = { controlledIPPools: JSON.stringify({ p1: { ips: ['10.6.0.50-10.6.0.60'] } }) };
    const old = v4({});
    const term = { ...old, metadata: { ...old.metadata, deletionTimestamp: 'x' } };
    expect(verdict(await h.update(old, term))).toBe('403');
    expect(verdict(await h.update(old, v4({ subnet: '10.7.0.0/16' })))).toBe('422 spec.subnet:FieldValueForbidden');
    const shrink = await h.update({ ...old, status }, { ...v4({ ips: ['10.6.0.1-10.6.0.55'] }), status });
    expect(verdict(shrink)).toBe('422 spec.ips:FieldValueForbidden');
    expect(shrink.status?.message).toContain("removes IP ranges [10.6.0.56-10.6.0.60] that IPPool 'p1' is using");
    expect(verdict(await h.update({ ...old, status: { controlledIPPools: '{' } }, { ...v4({}), status: { controlledIPPools: '{' } }))).toBe('422 status.controlledIPPools:InternalError');
    expect(verdict(await h.update({ ...old, status }, { ...v4({ ips: ['10.6.0.1-10.6.0.200'] }), status }))).toBe('allowed');
  });

  it('SUB-D1: delete with allocations is forbidden only with the flag', async () => {
    const s = subnet('s', { ipVersion: 4, subnet: '10.6.0.0/16' }, { allocatedIPCount: 3 });
    expect(verdict(await setup().h.delete(s))).toBe('allowed');
    expect(verdict(await setup({ enableValidatingResourcesDeletedWebhook: true }).h.delete(s))).toBe('403');
  });
});
