// IPP-V6 with the informer-fed pool index: after the read barrier (a consistent collection resourceVersion the index
// must reach), candidates come from the index and only they are re-read live; an index that is unsynced or lags
// falls back to the live list. IPP-V7 always lists its siblings live by label.
import { AdmissionHarness, ALL_FLAGS, verdict } from '../admission/admission-harness.fake.js';
import type { KubeObject } from '../admission/kind-webhook.js';
import { FakeClusterReader } from '../cluster/cluster-reader.fake.js';
import { FakeIPPoolIndex } from '../cluster/ippool-index.fake.js';
import { ippoolWebhook } from './ippool.module.js';

const CIDR_LABEL = 'ipam.spidernet.io/ippool-cidr';
const pool = (name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name, labels },
  spec: { ipVersion: 4, ...spec },
});

function setup() {
  const reader = new FakeClusterReader();
  const index = new FakeIPPoolIndex();
  const h = new AdmissionHarness(ippoolWebhook(reader, ALL_FLAGS, index));
  return { reader, index, h };
}

describe('SpiderIPPool validation with the pool index (IPP-V6, IPP-V7)', () => {
  const a = pool('a', { subnet: '10.0.0.0/16' });
  const far = pool('far', { subnet: '192.168.0.0/24' });
  const sib = pool('sib', { subnet: '10.1.0.0/24', ips: ['10.1.0.1-10.1.0.10'] }, { [CIDR_LABEL]: '10-1-0-0-24' });

  it('IPP-V6: denies from a live re-read of the overlapping candidate only, without listing', async () => {
    const { h, reader, index } = setup();
    reader.pools = [a, far];
    index.pools = [a, far];
    const r = await h.create(pool('x', { subnet: '10.0.1.0/24' }));
    expect(verdict(r)).toBe('422 spec.subnet:FieldValueInvalid');
    expect(r.status?.message).toContain("overlaps with IPPool 'a'");
    expect(reader.poolGets).toEqual(['a']);
    expect(reader.poolLists).toBe(0);
  });

  it('IPP-V6: a candidate the API server no longer holds (or that changed) does not deny', async () => {
    const { h, reader, index } = setup();
    index.pools = [a];
    expect(verdict(await h.create(pool('x', { subnet: '10.0.1.0/24' })))).toBe('allowed');
    reader.pools = [pool('a', { subnet: '172.16.0.0/16' })];
    expect(verdict(await h.create(pool('y', { subnet: '10.0.1.0/24' })))).toBe('allowed');
  });

  it('IPP-V6: same name is still 409 through the index', async () => {
    const { h, reader, index } = setup();
    reader.pools = [far];
    index.pools = [far];
    expect(verdict(await h.create(pool('far', { subnet: '10.9.0.0/24' })))).toBe('409');
  });

  it('IPP-V6: waits for the index to reach the current collection resourceVersion before trusting it', async () => {
    const { h, reader, index } = setup();
    reader.collectionVersion = '4711';
    reader.pools = [far];
    index.pools = [far];
    expect(verdict(await h.create(pool('x', { subnet: '10.0.1.0/24' })))).toBe('allowed');
    expect(index.barriers).toEqual(['4711']);
    expect(reader.versionReads).toBe(1);
  });

  it('IPP-V6: an index that lags (a pool created just before is not in it yet) falls back to the live list', async () => {
    const { h, reader, index } = setup();
    reader.pools = [a];
    index.pools = [];
    index.fresh = false;
    const r = await h.create(pool('x', { subnet: '10.0.1.0/24' }));
    expect(verdict(r)).toBe('422 spec.subnet:FieldValueInvalid');
    expect(r.status?.message).toContain("overlaps with IPPool 'a'");
    expect(reader.poolLists).toBe(1);
  });

  it('IPP-V6: a failed collection-version read is an InternalError cause', async () => {
    const { h, reader, index } = setup();
    index.pools = [a];
    reader.failWith = 'down';
    expect(verdict(await h.create(pool('x', { subnet: '10.0.1.0/24' })))).toBe('422 spec.subnet:InternalError');
  });

  it('IPP-V7: siblings come from a live label list even when the index does not hold them yet', async () => {
    const { h, reader, index } = setup();
    const quiet = pool('quiet', { subnet: '10.1.0.0/24', ips: ['10.1.0.100'] }, { [CIDR_LABEL]: '10-1-0-0-24' });
    reader.pools = [sib, quiet];
    index.pools = [];
    const r = await h.create(pool('x', { subnet: '10.1.0.0/24', ips: ['10.1.0.10-10.1.0.20'] }));
    expect(verdict(r)).toBe('422 spec.ips:FieldValueForbidden');
    expect(r.status?.message).toContain("overlaps with IPPool 'sib'");
    expect(reader.poolLists).toBe(1);
  });

  it('falls back to live lists while the index has not synced', async () => {
    const { h, reader, index } = setup();
    index.synced = false;
    reader.pools = [a];
    expect(verdict(await h.create(pool('x', { subnet: '10.0.1.0/24' })))).toBe('422 spec.subnet:FieldValueInvalid');
    expect(reader.poolLists).toBe(1);
  });

  it('a failed live re-read is an InternalError cause', async () => {
    const { h, reader, index } = setup();
    index.pools = [a];
    reader.failWith = 'boom';
    expect(verdict(await h.create(pool('x', { subnet: '10.0.1.0/24' })))).toBe('422 spec.subnet:InternalError');
  });
});
