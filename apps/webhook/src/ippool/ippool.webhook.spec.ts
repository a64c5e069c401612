import { AdmissionHarness, ALL_FLAGS, verdict } from '../admission/admission-harness.fake.js';
import type { KubeObject } from '../admission/kind-webhook.js';
import { FakeClusterReader } from '../cluster/cluster-reader.fake.js';
import type { FeatureFlags } from '../config/schema.js';
import { ippoolWebhook } from './ippool.module.js';

const pool = (name: string, spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name, ...(extra.metadata ?? {}) },
  spec,
  ...(extra.status ? { status: extra.status } : {}),
});

function setup(flags: Partial<FeatureFlags> = {}) {
  const reader = new FakeClusterReader();
  const h = new AdmissionHarness(ippoolWebhook(reader, { ...ALL_FLAGS, ...flags }));
  return { reader, h };
}

describe('SpiderIPPool mutating webhook', () => {
  it('IPP-M2/M3/M4/M6/M7: finalizer, ipVersion, cidr label, merged ips and excludeIPs', async () => {
    const { h } = setup();
    const out = await h.mutate(
      pool('p', {
        subnet: '172.18.40.0/24',
        ips: ['172.18.40.10', '172.18.40.1-172.18.40.3', '172.18.40.2-172.18.40.5'],
        excludeIPs: ['172.18.40.4', '172.18.40.3'],
      }),
    );
    expect(out.metadata?.finalizers).toEqual(['spiderpool.spidernet.io']);
    expect(out.metadata?.labels?.['ipam.spidernet.io/ippool-cidr']).toBe('172-18-40-0-24');
    expect(out.spec).toMatchObject({
      ipVersion: 4,
      ips: ['172.18.40.1-172.18.40.5', '172.18.40.10'],
      excludeIPs: ['172.18.40.3-172.18.40.4'],
    });
  });

  it('IPP-M1: a terminating pool is not changed', async () => {
    const { h } = setup();
    const obj = pool('p', { subnet: '10.0.0.0/8' }, { metadata: { name: 'p', deletionTimestamp: '2024-01-01T00:00:00Z' } });
    expect(await h.mutate(obj)).toEqual(obj);
  });

  it('IPP-M3: an unparsable subnet leaves ipVersion null (mutation never denies)', async () => {
    const { h } = setup();
    const out = await h.mutate(pool('p', { subnet: 'nonsense' }));
    expect(out.spec?.['ipVersion']).toBeUndefined();
    expect(out.metadata?.finalizers).toEqual(['spiderpool.spidernet.io']);
  });

  it('IPP-M4: ipVersion not matching the subnet stops before the label', async () => {
    const { h } = setup();
    const out = await h.mutate(pool('p', { ipVersion: 6, subnet: '10.0.0.0/8', ips: ['10.0.0.1', '10.0.0.2'] }));
    expect(out.metadata?.labels).toBeUndefined();
    expect(out.spec?.['ips']).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('IPP-M5: binds to the subnet with the same CIDR and inherits gateway and routes', async () => {
    const { h, reader } = setup();
    reader.subnets = [
      {
        metadata: { name: 's1', uid: 'u1', labels: { 'ipam.spidernet.io/subnet-cidr': '10-6-0-0-16' } },
        spec: { subnet: '10.6.0.0/16', gateway: '10.6.0.1', routes: [{ dst: '10.7.0.0/16', gw: '10.6.0.254' }] },
      },
    ];
    const out = await h.mutate(pool('p', { subnet: '10.6.0.0/16', ips: ['10.6.0.10'] }));
    expect(out.metadata?.ownerReferences).toEqual([
      { apiVersion: 'spiderpool.spidernet.io/v2beta1', kind: 'SpiderSubnet', name: 's1', uid: 'u1', controller: true, blockOwnerDeletion: true },
    ]);
    expect(out.metadata?.labels?.['ipam.spidernet.io/owner-spider-subnet']).toBe('s1');
    expect(out.spec).toMatchObject({ gateway: '10.6.0.1', routes: [{ dst: '10.7.0.0/16', gw: '10.6.0.254' }] });
    expect(reader.subnetReads).toEqual(['cache']);
  });

  it('IPP-M5e: an explicit empty routes list blocks inheritance', async () => {
    const { h, reader } = setup();
    reader.subnets = [
      { metadata: { name: 's1', uid: 'u1', labels: { 'ipam.spidernet.io/subnet-cidr': '10-6-0-0-16' } }, spec: { subnet: '10.6.0.0/16', routes: [{ dst: '10.7.0.0/16', gw: '10.6.0.254' }] } },
    ];
    const out = await h.mutate(pool('p', { subnet: '10.6.0.0/16', routes: [] }));
    expect(out.spec?.['routes']).toEqual([]);
  });

  it('IPP-M5: a list failure stops the remaining steps but keeps earlier ones', async () => {
    const { h, reader } = setup();
    reader.failWith = 'apiserver down';
    const out = await h.mutate(pool('p', { subnet: '10.6.0.0/16', ips: ['10.6.0.2', '10.6.0.1'] }));
    expect(out.metadata?.labels?.['ipam.spidernet.io/ippool-cidr']).toBe('10-6-0-0-16');
    expect(out.spec?.['ips']).toEqual(['10.6.0.2', '10.6.0.1']);
  });

  it('IPP-M6: a single entry is never rewritten', async () => {
    const { h } = setup({ enableSpiderSubnet: false });
    const out = await h.mutate(pool('p', { subnet: '10.0.0.0/24', ips: ['10.0.0.9-10.0.0.1'] }));
    expect(out.spec?.['ips']).toEqual(['10.0.0.9-10.0.0.1']);
  });
});

describe('SpiderIPPool validating webhook — CREATE', () => {
  const v4 = (spec: Record<string, unknown>) => pool('new', { ipVersion: 4, subnet: '172.18.0.0/16', ...spec });
  // Wiring only: the pure rules have their table in libs/ipam-core/src/lib/validation/ippool.rules.spec.ts; these rows
  // check that each kind of core field error reaches the AdmissionReview as the right cause, and flags are passed.
  it.each<[string, Record<string, unknown>, string, Partial<FeatureFlags>?]>([
    ['IPP-V1 → Invalid', { ipVersion: null }, '422 spec.ipVersion:FieldValueInvalid'],
    ['IPP-V2 → NotSupported', { ipVersion: 5 }, '422 spec.ipVersion:FieldValueNotSupported'],
    ['IPP-V3 → Forbidden, with the process flags', {}, '422 spec.ipVersion:FieldValueForbidden', { enableIPv4: false }],
    ['IPP-V8 → the entry index in the path', { gateway: '172.18.0.1', ips: ['172.18.0.1-172.18.0.9'] }, '422 spec.ips[0]:FieldValueInvalid'],
    ['IPP-V10 → Required', { podAffinity: { matchExpressions: [{ key: 'a', operator: 'In' }] } }, '422 spec.podAffinity.matchExpressions[0].values:FieldValueRequired'],
    ['IPP-V7+V10 → one cause each', { ips: ['1.1.1.1'], podAffinity: {} }, '422 spec.subnet:FieldValueInvalid,spec.podAffinity:FieldValueInvalid'],
    ['valid → allowed', { podAffinity: { matchLabels: { app: 'demo' } } }, 'allowed'],
  ])("%s", async (...[_name, spec, want, flags]) => {
    const { h } = setup(flags);
    expect(verdict(await h.create(v4(spec)))).toBe(want);
  });

  it('IPP-V6: same name → 409, overlapping different subnet → 422, same subnet ok, other family ignored', async () => {
    const { h, reader } = setup();
    reader.pools = [pool('dup', { ipVersion: 4, subnet: '10.0.0.0/8' }), pool('v6', { ipVersion: 6, subnet: 'fd00::/64' })];
    const conflict = await h.create(pool('dup', { ipVersion: 4, subnet: '192.168.0.0/24' }));
    expect(verdict(conflict)).toBe('409');
    expect(conflict.status?.reason).toBe('AlreadyExists');
    const overlap = await h.create(pool('x', { ipVersion: 4, subnet: '10.1.0.0/16' }));
    expect(verdict(overlap)).toBe('422 spec.subnet:FieldValueInvalid');
    expect(overlap.status?.message).toContain("overlaps with IPPool 'dup'");
    expect(verdict(await h.create(pool('y', { ipVersion: 4, subnet: '10.0.0.0/8' })))).toBe('allowed');
  });

  it('IPP-V6: a list failure is an InternalError cause', async () => {
    const { h, reader } = setup();
    reader.failWith = 'boom';
    expect(verdict(await h.create(v4({})))).toBe('422 spec.subnet:InternalError');
  });

  it('IPP-V7: effective ranges may not overlap a sibling pool of the same subnet', async () => {
    const { h, reader } = setup();
    reader.pools = [
      pool('sib', { ipVersion: 4, subnet: '172.18.0.0/16', ips: ['172.18.0.10-172.18.0.20'], excludeIPs: ['172.18.0.15'] }, { metadata: { name: 'sib', labels: { 'ipam.spidernet.io/ippool-cidr': '172-18-0-0-16' } } }),
    ];
    const r = await h.create(v4({ ips: ['172.18.0.20-172.18.0.30'] }));
    expect(verdict(r)).toBe('422 spec.ips:FieldValueForbidden');
    expect(r.status?.message).toContain("overlaps with IPPool 'sib' in IP ranges [172.18.0.10-172.18.0.20]");
    expect(verdict(await h.create(v4({ ips: ['172.18.0.15'] })))).toBe('allowed');
  });

  it('IPP-V10: auto pools only allow the reserved matchLabels', async () => {
    const { h } = setup();
    const auto = (sel: unknown) =>
      pool('auto4-x', { ipVersion: 4, subnet: '172.18.0.0/16', podAffinity: sel }, { metadata: { name: 'auto4-x', labels: { 'ipam.spidernet.io/owner-application-name': 'x' } } });
    expect(verdict(await h.create(auto({ matchLabels: { 'ipam.spidernet.io/app-name': 'x' } })))).toBe('allowed');
    expect(verdict(await h.create(auto({ matchLabels: { extra: 'y' } })))).toBe('422 spec.podAffinity:FieldValueInvalid');
    expect(verdict(await h.create(auto({ matchExpressions: [{ key: 'a', operator: 'Exists' }] })))).toBe('422 spec.podAffinity:FieldValueInvalid');
  });

  describe('IPP-V11 subnet containment', () => {
    const owned = (ips: string[], labels: Record<string, string> = {}) =>
      pool('p', { ipVersion: 4, subnet: '10.6.0.0/16', ips }, {
        metadata: { name: 'p', labels, ownerReferences: [{ apiVersion: 'spiderpool.spidernet.io/v2beta1', kind: 'SpiderSubnet', name: 's1', uid: 'u1', controller: true }] },
      });
    const subnet = (status?: Record<string, unknown>) => ({
      metadata: { name: 's1', uid: 'u1' },
      spec: { ipVersion: 4, subnet: '10.6.0.0/16', ips: ['10.6.0.1-10.6.0.100'], excludeIPs: ['10.6.0.50'] },
      ...(status ? { status } : {}),
    });
    it.each<[string, string[], string]>([
      ['inside', ['10.6.0.1-10.6.0.10'], 'allowed'],
      ['outside the subnet ips', ['10.6.0.99-10.6.0.101'], '422 spec.ips:FieldValueForbidden'],
      ['on an excluded subnet IP', ['10.6.0.50'], '422 spec.ips:FieldValueForbidden'],
    ])('IPP-V11 %s', async (_n, ips, want) => {
      const { h, reader } = setup();
      reader.subnets = [subnet()];
      const r = await h.create(owned(ips));
      expect(verdict(r)).toBe(want);
      if (want !== 'allowed') expect(r.status?.message).toContain("does not contain");
    });
    it('IPP-V11 missing subnet → InternalError; skipped when the feature is off', async () => {
      expect(verdict(await setup().h.create(owned(['10.6.0.1'])))).toBe('422 spec.subnet:InternalError');
      expect(verdict(await setup({ enableSpiderSubnet: false }).h.create(owned(['10.6.0.1'])))).toBe('allowed');
    });
    it('IPP-V11 auto pool must match the controlledIPPools record', async () => {
      const { h, reader } = setup();
      reader.subnets = [subnet({ controlledIPPools: JSON.stringify({ p: { ips: ['10.6.0.1-10.6.0.2'] } }) })];
      const labels = { 'ipam.spidernet.io/owner-application-name': 'demo' };
      expect(verdict(await h.create(owned(['10.6.0.1-10.6.0.2'], labels)))).toBe('allowed');
      expect(verdict(await h.create(owned(['10.6.0.1-10.6.0.3'], labels)))).toBe('422 spec.ips:FieldValueForbidden');
    });
  });
});

describe('SpiderIPPool validating webhook — UPDATE / DELETE', () => {
  const base = pool('p', { ipVersion: 4, subnet: '172.18.0.0/16', ips: ['172.18.0.1-172.18.0.10'] }, { metadata: { name: 'p', finalizers: ['spiderpool.spidernet.io'] } });
  const withSpec = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
    ...structuredClone(base),
    spec: { ...base.spec, ...spec },
    ...(status ? { status } : {}),
  });

  it('IPP-U0: terminating with the finalizer → 403; finalizer removal → allowed', async () => {
    const { h } = setup();
    const term = { ...withSpec({}), metadata: { ...base.metadata, deletionTimestamp: '2024-01-01T00:00:00Z' } };
    const r = await h.update(base, term);
    expect(verdict(r)).toBe('403');
    expect(r.status?.message).toContain('terminating');
    expect(verdict(await h.update(base, { ...term, metadata: { ...term.metadata, finalizers: [] } }))).toBe('allowed');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['IPP-U1 subnet immutable', { subnet: '172.19.0.0/16' }, '422 spec.subnet:FieldValueForbidden'],
    ['IPP-U1 ipVersion immutable', { ipVersion: 6 }, '422 spec.ipVersion:FieldValueForbidden'],
    ['IPP-U3 gateway conflict', { gateway: '172.18.0.2' }, '422 spec.ips[0]:FieldValueInvalid'],
    ['IPP-U4 bad podAffinity', { podAffinity: {} }, '422 spec.podAffinity:FieldValueInvalid'],
    ['growing ips', { ips: ['172.18.0.1-172.18.0.20'] }, 'allowed'],
  ])('%s', async (_n, spec, want) => {
    const { h } = setup();
    expect(verdict(await h.update(base, withSpec(spec)))).toBe(want);
  });

  it('IPP-U5: shrinking below an allocated IP is forbidden and names the pod', async () => {
    const { h } = setup();
    const status = { allocatedIPs: JSON.stringify({ '172.18.0.9': { pod: 'default/demo', podUid: 'u' } }), allocatedIPCount: 1 };
    const r = await h.update(withSpec({}, status), withSpec({ ips: ['172.18.0.1-172.18.0.5'] }, status));
    expect(verdict(r)).toBe('422 spec.ips:FieldValueForbidden');
    expect(r.status?.message).toContain("Pod 'default/demo'");
    expect(verdict(await h.update(withSpec({}, status), withSpec({ excludeIPs: ['172.18.0.9'] }, status)))).toBe('422 spec.ips:FieldValueForbidden');
    expect(verdict(await h.update(withSpec({}, status), withSpec({ ips: ['172.18.0.9'] }, status)))).toBe('allowed');
    expect(verdict(await h.update(withSpec({}, { allocatedIPs: '{bad' }), withSpec({}, { allocatedIPs: '{bad' })))).toBe('422 spec.ips:InternalError');
  });

  it('IPP-D1: deleting a pool in use is forbidden only with the flag', async () => {
    const inUse = withSpec({}, { allocatedIPCount: 2 });
    expect(verdict(await setup().h.delete(inUse))).toBe('allowed');
    const r = await setup({ enableValidatingResourcesDeletedWebhook: true }).h.delete(inUse);
    expect(verdict(r)).toBe('403');
    expect(r.status?.message).toContain('(2)');
    expect(verdict(await setup({ enableValidatingResourcesDeletedWebhook: true }).h.delete(withSpec({}, { allocatedIPCount: 0 })))).toBe('allowed');
  });
});
