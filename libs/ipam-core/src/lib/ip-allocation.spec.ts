import fc from 'fast-check';
import {
  parseAllocatedIPs,
  serializeAllocatedIPs,
  withAllocation,
  withoutAllocation,
} from './allocated-ips.codec.js';
import { IPConflictError, IPExhaustedError, InvalidSpecError } from './errors.js';
import { FreeIPIndex } from './free-ip-index.js';
import { parseIP } from './ip-address.js';
import { PoolAllocationState, planAllocation } from './ip-allocation.js';
import { IPSet } from './ip-set.js';

const v = (ip: string): bigint => parseIP(ip).value;

describe('status.allocatedIPs codec', () => {
  it('decodes and re-encodes the upstream shape byte for byte (keys in byte order)', () => {
    const text =
      '{"10.6.168.101":{"pod":"default/web-0","podUid":"0f1c"},"10.6.168.9":{"pod":"ns/name","podUid":"aa"}}';
    const records = parseAllocatedIPs(text);
    expect(records.get('10.6.168.9')).toEqual({ pod: 'ns/name', podUid: 'aa' });
    expect(serializeAllocatedIPs(records)).toBe(text);
  });

  it('treats an absent field as empty and removes the field when the map empties', () => {
    expect(parseAllocatedIPs(undefined).size).toBe(0);
    const one = withAllocation(new Map(), '10.0.0.1', { pod: 'a/b', podUid: 'u1' });
    expect(withoutAllocation(one, '10.0.0.1', 'other').released).toBe(false);
    const { records, released } = withoutAllocation(one, '10.0.0.1', 'u1');
    expect(released).toBe(true);
    expect(serializeAllocatedIPs(records)).toBeUndefined();
  });

  it.each([
    '{',
    '[]',
    '{"x":{"pod":"a","podUid":"b"}}',
    '{"10.0.0.1":{"pod":1,"podUid":"b"}}',
    '{"10.0.0.1":"a"}',
  ])('rejects malformed %s with InvalidSpecError', (text) => {
    expect(() => parseAllocatedIPs(text)).toThrow(InvalidSpecError);
  });
});

describe('PoolAllocationState.pick', () => {
  const pool = (extra: Partial<Parameters<typeof PoolAllocationState.fromParts>[0]> = {}) =>
    PoolAllocationState.fromParts({
      name: 'pool-a',
      family: 4,
      subnet: '10.6.0.0/16',
      gateway: '10.6.0.1',
      ips: ['10.6.168.100-10.6.168.110'],
      excludeIPs: ['10.6.168.105'],
      ...extra,
    });

  it('is idempotent for the same pod UID', () => {
    const state = pool();
    const req = { podKey: 'default/web-0', podUid: 'u1', nic: 'eth0' };
    const first = state.pick(req);
    state.apply(first, req);
    expect(state.pick(req)).toEqual({ kind: 'existing', ip: first.ip });
  });

  it('spreads picks instead of handing out the lowest free IP first', () => {
    const state = PoolAllocationState.fromParts({
      name: 'p',
      family: 4,
      subnet: '10.0.0.0/16',
      ips: ['10.0.0.0-10.0.255.255'],
    });
    const ips = new Set<string>();
    for (let i = 0; i < 20; i++)
      ips.add(state.pick({ podKey: `ns/p${i}`, podUid: `uid-${i}`, nic: 'eth0' }).ip);
    expect(ips.size).toBe(20);
    expect(ips.has('10.0.0.0')).toBe(false);
  });

  it('keeps a StatefulSet IP: re-owns its record, re-creates a removed record, refuses one held by another pod', () => {
    const records = new Map([['10.6.168.101', { pod: 'default/db-0', podUid: 'old' }]]);
    const state = pool({ records });
    expect(
      state.pick({ podKey: 'default/db-0', podUid: 'new', nic: 'eth0', previousIP: '10.6.168.101' }),
    ).toEqual({
      kind: 'reowned',
      ip: '10.6.168.101',
      previousUid: 'old',
    });
    expect(
      state.pick({ podKey: 'default/db-1', podUid: 'x', nic: 'eth0', previousIP: '10.6.168.102' }),
    ).toEqual({
      kind: 'allocated',
      ip: '10.6.168.102',
    });
    expect(() =>
      state.pick({ podKey: 'default/db-2', podUid: 'y', nic: 'eth0', previousIP: '10.6.168.101' }),
    ).toThrow(IPConflictError);
    expect(() =>
      state.pick({ podKey: 'default/db-2', podUid: 'y', nic: 'eth0', previousIP: '10.6.168.105' }),
    ).toThrow(IPConflictError);
  });

  it('fails with IPExhaustedError when full or over the record threshold', () => {
    const tiny = PoolAllocationState.fromParts({
      name: 't',
      family: 4,
      subnet: '10.0.0.0/24',
      ips: ['10.0.0.1'],
    });
    tiny.apply(tiny.pick({ podKey: 'a/a', podUid: 'a', nic: 'eth0' }), { podKey: 'a/a', podUid: 'a' });
    expect(() => tiny.pick({ podKey: 'b/b', podUid: 'b', nic: 'eth0' })).toThrow(IPExhaustedError);
    const capped = pool({ records: new Map([['10.6.168.100', { pod: 'a/a', podUid: 'a' }]]) });
    expect(() => capped.pick({ podKey: 'b/b', podUid: 'b', nic: 'eth0' }, { maxAllocatedIPs: 1 })).toThrow(
      IPExhaustedError,
    );
  });
});

describe('planAllocation', () => {
  it('falls through to the next pool and gives two NICs on one pool different IPs', () => {
    const full = PoolAllocationState.fromParts({ name: 'full', family: 4, subnet: '10.1.0.0/24', ips: [] });
    const shared = PoolAllocationState.fromParts({
      name: 'shared',
      family: 4,
      subnet: '10.2.0.0/24',
      ips: ['10.2.0.10-10.2.0.20'],
    });
    const outcome = planAllocation({ podKey: 'ns/p', podUid: 'u' }, [
      { nic: 'eth0', family: 4, pools: [full, shared] },
      { nic: 'net1', family: 4, pools: [shared] },
    ]);
    expect(outcome.kind).toBe('planned');
    const [a, b] = outcome.entries;
    expect(a?.pool).toBe('shared');
    expect(a?.address).toMatch(/^10\.2\.0\.\d+\/24$/);
    expect(a?.ip).not.toBe(b?.ip);
    expect(outcome.changedPools).toEqual(['shared']);
  });

  it('reports every pool of a failed candidate and keeps the successful entries', () => {
    const ok = PoolAllocationState.fromParts({
      name: 'v6',
      family: 6,
      subnet: 'fd00::/64',
      ips: ['fd00::1-fd00::9'],
    });
    const empty = PoolAllocationState.fromParts({ name: 'v4', family: 4, subnet: '10.1.0.0/24', ips: [] });
    const outcome = planAllocation({ podKey: 'ns/p', podUid: 'u' }, [
      { nic: 'eth0', family: 6, pools: [ok] },
      { nic: 'eth0', family: 4, pools: [empty] },
    ]);
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.error).toBeInstanceOf(IPExhaustedError);
    expect((outcome.error as IPExhaustedError).rejections).toEqual([
      expect.objectContaining({ pool: 'v4', reason: 'Exhausted' }),
    ]);
    expect(outcome.entries.map((e) => e.pool)).toEqual(['v6']);
  });
});

/** Properties of DESIGN.md §Invariants. */
describe('allocation invariants (properties)', () => {
  const ipsArb = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 15 })), {
      minLength: 1,
      maxLength: 5,
    })
    .map((pairs) =>
      pairs.map(
        ([lo, len]) =>
          `10.0.${Math.floor(lo / 250)}.${lo % 250}-10.0.${Math.floor((lo + len) / 250)}.${(lo + len) % 250}`,
      ),
    );
  const subsetArb = fc
    .array(fc.integer({ min: 0, max: 230 }), { maxLength: 10 })
    .map((xs) => xs.map((x) => `10.0.0.${x}`));
  const opsArb = fc.array(
    fc.oneof(
      fc.record({
        op: fc.constant('alloc' as const),
        pod: fc.integer({ min: 0, max: 60 }),
        nic: fc.constantFrom('eth0', 'net1'),
      }),
      fc.record({ op: fc.constant('release' as const), pod: fc.integer({ min: 0, max: 60 }) }),
    ),
    { maxLength: 60 },
  );

  it('never hands out an IP outside ips, excluded, reserved or twice; the index equals a full rebuild', () => {
    fc.assert(
      fc.property(ipsArb, subsetArb, subsetArb, opsArb, (ips, excludeIPs, reservedIPs, ops) => {
        const reserved = IPSet.fromRanges(4, reservedIPs);
        const state = PoolAllocationState.fromParts({
          name: 'p',
          family: 4,
          subnet: '10.0.0.0/16',
          ips,
          excludeIPs,
          reserved,
        });
        const inIps = IPSet.fromRanges(4, ips);
        const excluded = IPSet.fromRanges(4, excludeIPs);
        const held = new Map<string, string[]>();
        for (const step of ops) {
          const uid = `uid-${step.pod}`;
          if (step.op === 'alloc') {
            const req = {
              podKey: `ns/p${step.pod}`,
              podUid: uid,
              nic: step.nic,
              heldByOtherNics: held.get(uid) ?? [],
            };
            let pick;
            try {
              pick = state.pick(req);
            } catch (error) {
              expect(error).toBeInstanceOf(IPExhaustedError);
              expect(state.freeCount).toBe(0n);
              continue;
            }
            const value = v(pick.ip);
            expect(inIps.has(value)).toBe(true);
            expect(excluded.has(value)).toBe(false);
            expect(reserved.has(value)).toBe(false);
            if (pick.kind === 'allocated') {
              expect(state.records.has(pick.ip)).toBe(false);
              state.apply(pick, req);
              held.set(uid, [...(held.get(uid) ?? []), pick.ip]);
            }
          } else {
            for (const ip of held.get(uid) ?? []) expect(state.release(ip, uid)).toBe(true);
            held.delete(uid);
          }
          const rebuilt = FreeIPIndex.build(state.allocatable, [...state.records.keys()].map(v));
          expect(state.index.toIPSet().equals(rebuilt.toIPSet())).toBe(true);
          expect(state.index.freeCount + BigInt(state.records.size)).toBe(state.allocatable.size);
        }
        const owners = [...held.values()].flat();
        expect(new Set(owners).size).toBe(owners.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('release after allocate restores the free set', () => {
    fc.assert(
      fc.property(ipsArb, subsetArb, fc.integer({ min: 1, max: 30 }), (ips, excludeIPs, n) => {
        const state = PoolAllocationState.fromParts({
          name: 'p',
          family: 4,
          subnet: '10.0.0.0/16',
          ips,
          excludeIPs,
        });
        const before = state.index.toIPSet();
        const taken: Array<[string, string]> = [];
        for (let i = 0; i < n && state.freeCount > 0n; i++) {
          const req = { podKey: `ns/p${i}`, podUid: `u${i}`, nic: 'eth0' };
          const pick = state.pick(req);
          state.apply(pick, req);
          taken.push([pick.ip, req.podUid]);
        }
        for (const [ip, uid] of taken.reverse()) state.release(ip, uid);
        expect(state.index.toIPSet().equals(before)).toBe(true);
        expect(state.serializeRecords()).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });

  it('allocates within a /64 pool without enumerating it', () => {
    fc.assert(
      fc.property(fc.array(fc.uuid(), { minLength: 1, maxLength: 30 }), (uids) => {
        const state = PoolAllocationState.fromParts({
          name: 'v6',
          family: 6,
          subnet: 'fd00:1::/64',
          ips: ['fd00:1::-fd00:1::ffff:ffff:ffff:ffff'],
          excludeIPs: ['fd00:1::1'],
        });
        const seen = new Set<string>();
        for (const uid of new Set(uids)) {
          const req = { podKey: `ns/${uid}`, podUid: uid, nic: 'eth0' };
          const pick = state.pick(req);
          expect(pick.ip).not.toBe('fd00:1::1');
          expect(seen.has(pick.ip)).toBe(false);
          seen.add(pick.ip);
          state.apply(pick, req);
        }
        expect(state.index.freeCount).toBe((1n << 64n) - 1n - BigInt(seen.size));
      }),
      { numRuns: 1000 },
    );
  });
});
