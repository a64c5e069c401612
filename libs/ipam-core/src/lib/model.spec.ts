import type { SpiderIPPool, SpiderReservedIP, SpiderSubnet } from '@spiderpool/crd-types';
import type { SpiderIPPoolView, SpiderReservedIPView, SpiderSubnetSpecView } from './model.js';

/** A stored object always has a name; that is the only narrowing of metadata. */
type Stored<T extends { metadata: { name?: string | undefined } }> = T & { metadata: { name: string } };

/** The views only narrow the crd-types shapes: a parsed (stored) CRD object must be assignable to its view. */
const asPoolView = (pool: Stored<SpiderIPPool>): SpiderIPPoolView => pool;
const asSubnetView = (subnet: SpiderSubnet): SpiderSubnetSpecView => subnet.spec;
const asReservedView = (reserved: Stored<SpiderReservedIP>): SpiderReservedIPView => reserved;

describe('model views', () => {
  it('accept crd-types objects', () => {
    const pool = { metadata: { name: 'p' }, spec: { subnet: '10.0.0.0/24' } } as Stored<SpiderIPPool>;
    expect(asPoolView(pool).metadata.name).toBe('p');
    expect(typeof asSubnetView).toBe('function');
    expect(typeof asReservedView).toBe('function');
  });
});
