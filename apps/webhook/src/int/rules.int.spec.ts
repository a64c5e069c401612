// Issue 5: for EVERY numbered admission rule of crds.md, a request through the REAL API server — a manifest (or an
// update/delete of a prepared object) that must be rejected with the code, field and message checked, or for a
// mutating rule the default visible after create. Rules the API server never lets reach the webhook get a row that
// says why and asserts what the API server does instead. A coverage line is printed at the end.
import { ApiException } from '@kubernetes/client-node';
import type { KubeObject } from '../admission/kind-webhook.js';
import { KubeObjects } from './kube-objects.int-kit.js';
import { startWebhookUnderTest, type WebhookUnderTest } from './webhook-under-test.int-kit.js';

const REG_NAME = `spiderpool-webhook-rules-int-${process.pid}`;
const G = 'spiderpool.spidernet.io/v2beta1';
const FIN = 'spiderpool.spidernet.io';
const NS = 'default';

type Spec = Record<string, unknown>;
type Meta = NonNullable<KubeObject['metadata']>;
const obj = (kind: string, name: string, spec: Spec, meta: Partial<Meta> = {}): KubeObject => ({
  apiVersion: G,
  kind,
  metadata: { name, ...(kind === 'SpiderMultusConfig' ? { namespace: NS } : {}), ...meta },
  spec,
});
const pool = (name: string, spec: Spec, meta?: Partial<Meta>) => obj('SpiderIPPool', name, spec, meta);
const subnet = (name: string, spec: Spec, meta?: Partial<Meta>) => obj('SpiderSubnet', name, spec, meta);
const rip = (name: string, spec: Spec, meta?: Partial<Meta>) => obj('SpiderReservedIP', name, spec, meta);
const smc = (name: string, spec: Spec, meta?: Partial<Meta>) => obj('SpiderMultusConfig', name, spec, meta);
const coo = (name: string, spec: Spec, meta?: Partial<Meta>) => obj('SpiderCoordinator', name, spec, meta);
const macvlan = { cniType: 'macvlan', macvlan: { master: ['eth0'] } };

interface Rejection {
  code: number;
  reason: string;
  message: string;
}

/** A row: the rule, what to do, and what must come back. */
type Row =
  | {
      rule: string;
      kind: 'reject';
      act: () => Promise<unknown>;
      code: number;
      reason: string;
      field: string;
      text: string;
    }
  | {
      rule: string;
      kind: 'mutate';
      act: () => Promise<KubeObject | null>;
      check: (stored: KubeObject | null) => void;
    }
  | {
      rule: string;
      kind: 'unreachable';
      why: string;
      act: () => Promise<unknown>;
      expect: (r: Rejection | KubeObject | null) => void;
    };

describe('every admission rule through the API server', () => {
  let wh: WebhookUnderTest | undefined;
  let k: KubeObjects;
  const created: KubeObject[] = [];
  const tally = {
    reject: new Set<string>(),
    mutate: new Set<string>(),
    unreachable: new Map<string, string>(),
  };

  const create = async (o: KubeObject): Promise<KubeObject> => {
    created.push(o);
    return k.create(o);
  };
  /** Read-modify-replace of a stored object. */
  const update = async (o: KubeObject, edit: (cur: KubeObject) => KubeObject): Promise<KubeObject> =>
    k.replace(edit(structuredClone(await k.get(o))));
  const withSpec =
    (patch: Spec) =>
    (cur: KubeObject): KubeObject => ({ ...cur, spec: { ...cur.spec, ...patch } });
  const withMeta =
    (patch: Partial<Meta>) =>
    (cur: KubeObject): KubeObject => ({ ...cur, metadata: { ...cur.metadata, ...patch } });
  /** Mark a prepared object as terminating (it keeps its finalizer). */
  const terminate = async (o: KubeObject): Promise<void> => k.delete(o);
  const gone = async (o: KubeObject): Promise<KubeObject | null> => {
    try {
      return await k.get(o);
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return null;
      throw err;
    }
  };

  async function outcome(act: () => Promise<unknown>): Promise<Rejection | KubeObject | null> {
    try {
      return ((await act()) ?? null) as KubeObject | null;
    } catch (err) {
      if (!(err instanceof ApiException)) throw err;
      const body = (typeof err.body === 'string' ? JSON.parse(err.body) : err.body) as {
        reason?: string;
        message?: string;
      };
      return { code: err.code, reason: body.reason ?? '', message: body.message ?? '' };
    }
  }
  const isRejection = (r: unknown): r is Rejection =>
    typeof r === 'object' && r !== null && 'code' in r && 'reason' in r;

  // Prepared objects (created in parallel in beforeAll).
  const base = pool('wr-base', { subnet: '10.60.0.0/24', ips: ['10.60.0.1-10.60.0.10'] });
  const used = pool('wr-used', { subnet: '10.63.0.0/24', ips: ['10.63.0.1-10.63.0.10'] });
  const poolTerm = pool('wr-pool-term', { subnet: '10.64.0.0/24' });
  const poolTerm2 = pool('wr-pool-term2', { subnet: '10.64.0.0/24' });
  const sub = subnet('wr-sub', {
    subnet: '10.61.0.0/16',
    ips: ['10.61.0.1-10.61.0.100'],
    gateway: '10.61.0.254',
  });
  const subUsed = subnet('wr-sub-used', { subnet: '10.62.0.0/16', ips: ['10.62.0.1-10.62.0.100'] });
  const subTerm = subnet('wr-sub-term', { subnet: '10.65.0.0/16' });
  const subTerm2 = subnet('wr-sub-term2', { subnet: '10.66.0.0/16' });
  const ripBase = rip('wr-rip', { ips: ['10.67.0.1'] });
  const ripHeld = rip('wr-rip-held', { ips: ['10.67.0.2'] }, { finalizers: ['example.com/hold'] });
  const smcBase = smc('wr-smc', macvlan, { annotations: { 'multus.spidernet.io/cr-name': 'wr-nad-a' } });
  const smcPlain = smc('wr-smc-plain', macvlan);
  const cooTerm = coo('wr-coo-term', { podCIDRType: 'none' });
  let boundPool: KubeObject;

  beforeAll(async () => {
    wh = await startWebhookUnderTest({
      registrationName: REG_NAME,
      poolIndex: true,
      env: { SPIDERPOOL_ENABLE_VALIDATING_RESOURCES_DELETED_WEBHOOK: 'true' },
    });
    ({ k } = wh);
    const index = wh.index;
    if (!index) throw new Error('started without the pool index');
    await Promise.all(
      [
        base,
        used,
        poolTerm,
        poolTerm2,
        sub,
        subUsed,
        subTerm,
        subTerm2,
        ripBase,
        ripHeld,
        smcBase,
        smcPlain,
        cooTerm,
      ].map(create),
    );
    // IPP-M5 reads subnets from the watch cache: bind a pool once the cache has the subnet.
    for (let i = 0; ; i++) {
      boundPool = await create(
        pool(`wr-bound-${i}`, { subnet: '10.61.0.0/16', ips: ['10.61.0.1-10.61.0.5'] }),
      );
      if (boundPool.metadata?.ownerReferences?.length) break;
      await k.purge(boundPool);
      if (i > 20) throw new Error('IPP-M5 never bound a pool to wr-sub');
    }
    // The pool index is fed by a watch: wait until it has seen the prepared pools the overlap rows depend on.
    for (let i = 0; !(index.has('wr-base') && index.has('wr-used')); i++) {
      if (i > 100) throw new Error('pool index never saw the prepared pools');
      await new Promise((res) => setTimeout(res, 50));
    }
    const u = await k.get(used);
    await k.replaceStatus({
      ...u,
      status: {
        allocatedIPs: JSON.stringify({ '10.63.0.9': { pod: 'default/app-1', podUid: 'u1' } }),
        allocatedIPCount: 1,
      },
    });
    const su = await k.get(subUsed);
    await k.replaceStatus({
      ...su,
      status: {
        controlledIPPools: JSON.stringify({ 'wr-ctl': { ips: ['10.62.0.50-10.62.0.60'] } }),
        allocatedIPCount: 3,
      },
    });
    await Promise.all([poolTerm, poolTerm2, subTerm, subTerm2, ripHeld, cooTerm].map(terminate));
  }, 120_000);

  afterAll(async () => {
    process.stdout.write(
      `webhook rules: ${tally.reject.size} covered by rejecting int cases, ${tally.mutate.size} by mutation checks, ` +
        `${tally.unreachable.size} not reachable through the apiserver (${[...tally.unreachable].map(([r, why]) => `${r}: ${why}`).join('; ')})\n`,
    );
    await wh?.unregister();
    // Without the webhook, finalizers and status can be cleared freely; the API server drops the configuration
    // asynchronously, so retry the (parallel) purge until every object is gone.
    let left = created.splice(0);
    for (let i = 0; left.length > 0 && i < 50; i++) {
      const failed: KubeObject[] = [];
      await Promise.all(
        left.map(async (o) => {
          try {
            if (o.kind === 'SpiderIPPool' || o.kind === 'SpiderSubnet') {
              const cur = await gone(o);
              if (cur && Number(cur.status?.['allocatedIPCount'] ?? 0) > 0)
                await k.replaceStatus({ ...cur, status: { allocatedIPCount: 0 } });
            }
            await k.purge(o);
          } catch {
            failed.push(o);
          }
        }),
      );
      left = failed;
      if (left.length > 0) await new Promise((res) => setTimeout(res, 200));
    }
    await wh?.close();
  }, 60_000);

  const reject = (
    rule: string,
    act: () => Promise<unknown>,
    code: number,
    reason: string,
    field: string,
    text: string,
  ): Row => ({ rule, kind: 'reject', act, code, reason, field, text });
  const invalidCreate = (rule: string, o: KubeObject, field: string, text: string): Row =>
    reject(rule, () => create(o), 422, 'Invalid', field, text);
  const mutate = (
    rule: string,
    act: () => Promise<KubeObject | null>,
    check: (s: KubeObject | null) => void,
  ): Row => ({ rule, kind: 'mutate', act, check });
  const unreachable = (
    rule: string,
    why: string,
    act: () => Promise<unknown>,
    expect: (r: Rejection | KubeObject | null) => void,
  ): Row => ({ rule, kind: 'unreachable', why, act, expect });
  /** The API server's own structural-schema rejection (the webhook is never asked). */
  const schemaRejects = (field: string, text: string) => (r: Rejection | KubeObject | null) => {
    expect(r).toMatchObject({ code: 422, reason: 'Invalid' });
    expect((r as Rejection).message).not.toContain('admission webhook');
    expect((r as Rejection).message).toContain(field);
    expect((r as Rejection).message).toContain(text);
  };
  const admitted = (check: (o: KubeObject) => void) => (r: Rejection | KubeObject | null) => {
    expect(isRejection(r)).toBe(false);
    check(r as KubeObject);
  };
  const SCHEMA_ENUM = 'the CRD schema (enum) rejects the value before validating admission runs';
  const BOTH_FAMILIES =
    'the int tier runs with both IP families enabled (chart default); the flag is per process';

  const rows: Row[] = [
    // ---- SpiderIPPool: mutation (§2.5)
    mutate(
      'IPP-M1',
      async () => {
        await update(poolTerm, withMeta({ finalizers: [] }));
        return gone(poolTerm);
      },
      (s) => expect(s).toBeNull(),
    ),
    mutate(
      'IPP-M2',
      () => create(pool('wr-m2', { subnet: '10.68.0.0/24' })),
      (s) => expect(s?.metadata?.finalizers).toEqual([FIN]),
    ),
    mutate(
      'IPP-M3',
      () => create(pool('wr-m3', { subnet: 'fd00:68::/64' })),
      (s) => expect(s?.spec?.['ipVersion']).toBe(6),
    ),
    mutate(
      'IPP-M4',
      () => create(pool('wr-m4', { subnet: '10.68.1.0/24' })),
      (s) => expect(s?.metadata?.labels?.['ipam.spidernet.io/ippool-cidr']).toBe('10-68-1-0-24'),
    ),
    mutate(
      'IPP-M5',
      async () => boundPool,
      (s) => {
        expect(s?.metadata?.ownerReferences?.[0]).toMatchObject({
          kind: 'SpiderSubnet',
          name: 'wr-sub',
          controller: true,
        });
        expect(s?.metadata?.labels?.['ipam.spidernet.io/owner-spider-subnet']).toBe('wr-sub');
        expect(s?.spec?.['gateway']).toBe('10.61.0.254');
      },
    ),
    mutate(
      'IPP-M6',
      () => create(pool('wr-m6', { subnet: '10.68.2.0/24', ips: ['10.68.2.3', '10.68.2.1-10.68.2.2'] })),
      (s) => expect(s?.spec?.['ips']).toEqual(['10.68.2.1-10.68.2.3']),
    ),
    mutate(
      'IPP-M7',
      () => create(pool('wr-m7', { subnet: '10.68.3.0/24', excludeIPs: ['10.68.3.5', '10.68.3.4'] })),
      (s) => expect(s?.spec?.['excludeIPs']).toEqual(['10.68.3.4-10.68.3.5']),
    ),
    // ---- SpiderIPPool: CREATE (§2.6)
    invalidCreate(
      'IPP-V1',
      pool('wr-v1', { subnet: 'nope' }),
      'spec.ipVersion',
      'spec.subnet may be invalid',
    ),
    unreachable(
      'IPP-V2',
      SCHEMA_ENUM,
      () => create(pool('wr-v2', { ipVersion: 5, subnet: '10.69.0.0/24' })),
      schemaRejects('spec.ipVersion', 'Unsupported value'),
    ),
    unreachable(
      'IPP-V3',
      BOTH_FAMILIES,
      () => create(pool('wr-v3', { ipVersion: 6, subnet: 'fd00:69::/64' })),
      admitted((o) => expect(o.spec?.['ipVersion']).toBe(6)),
    ),
    invalidCreate(
      'IPP-V4',
      pool('wr-v4', { ipVersion: 6, subnet: '10.69.1.0/24' }),
      'spec.subnet',
      'invalid IPv6 CIDR',
    ),
    invalidCreate('IPP-V5', pool('wr-v5', { subnet: '10.69.2.1/24' }), 'spec.subnet', "use '10.69.2.0/24'"),
    invalidCreate(
      'IPP-V6',
      pool('wr-v6', { subnet: '10.60.0.0/16' }),
      'spec.subnet',
      "overlaps with IPPool 'wr-base'",
    ),
    reject(
      'IPP-V6',
      () => create(pool('wr-base', { subnet: '10.69.3.0/24' })),
      409,
      'AlreadyExists',
      '',
      'already exists',
    ),
    invalidCreate(
      'IPP-V7',
      pool('wr-v7a', { subnet: '10.69.4.0/24', ips: ['10.69.5.1'] }),
      'spec.subnet',
      'not in base subnet',
    ),
    reject(
      'IPP-V7',
      () => create(pool('wr-v7b', { subnet: '10.60.0.0/24', ips: ['10.60.0.10-10.60.0.20'] })),
      422,
      'Invalid',
      'spec.ips',
      "overlaps with IPPool 'wr-base'",
    ),
    invalidCreate(
      'IPP-V8',
      pool('wr-v8', { subnet: '10.69.6.0/24', gateway: '10.69.6.1', ips: ['10.69.6.1-10.69.6.9'] }),
      'spec.ips[0]',
      'conflicts with spec.gateway',
    ),
    invalidCreate(
      'IPP-V9',
      pool('wr-v9', { subnet: '10.69.7.0/24', routes: [{ dst: '0.0.0.0/0', gw: '10.69.7.1' }] }),
      'spec.routes[0].dst',
      'spec.gateway',
    ),
    invalidCreate(
      'IPP-V10',
      pool('wr-v10', { subnet: '10.69.8.0/24', podAffinity: {} }),
      'spec.podAffinity',
      'an empty podAffinity',
    ),
    invalidCreate(
      'IPP-V11',
      pool('wr-v11', { subnet: '10.61.0.0/16', ips: ['10.61.0.200'] }),
      'spec.ips',
      "Subnet 'wr-sub' does not contain",
    ),
    // ---- SpiderIPPool: UPDATE / DELETE (§2.7, §2.8)
    reject(
      'IPP-U0',
      () => update(poolTerm2, withMeta({ labels: { a: 'b' } })),
      403,
      'Forbidden',
      '',
      'a terminating IPPool cannot be updated',
    ),
    reject(
      'IPP-U1',
      () => update(base, withSpec({ subnet: '10.70.0.0/24' })),
      422,
      'Invalid',
      'spec.subnet',
      'is not changeable',
    ),
    unreachable(
      'IPP-U2',
      `${SCHEMA_ENUM}; a null ipVersion is re-derived by IPP-M3 (and IPv4/IPv6 flags: ${BOTH_FAMILIES})`,
      () => update(base, withSpec({ ipVersion: 5 })),
      schemaRejects('spec.ipVersion', 'Unsupported value'),
    ),
    reject(
      'IPP-U3',
      () => update(base, withSpec({ gateway: '10.60.0.2' })),
      422,
      'Invalid',
      'spec.ips[0]',
      'conflicts with spec.gateway',
    ),
    reject(
      'IPP-U4',
      () => update(base, withSpec({ podAffinity: {} })),
      422,
      'Invalid',
      'spec.podAffinity',
      'an empty podAffinity',
    ),
    reject(
      'IPP-U5',
      () => update(used, withSpec({ ips: ['10.63.0.1-10.63.0.5'] })),
      422,
      'Invalid',
      'spec.ips',
      "Pod 'default/app-1'",
    ),
    reject(
      'IPP-U6',
      () => update(boundPool, withSpec({ ips: ['10.61.0.1-10.61.0.5', '10.61.0.150'] })),
      422,
      'Invalid',
      'spec.ips',
      "Subnet 'wr-sub' does not contain",
    ),
    reject('IPP-D1', () => k.delete(used), 403, 'Forbidden', '', 'allocated IPs (1)'),
    // ---- SpiderSubnet: mutation (§3.5)
    mutate(
      'SUB-M1',
      async () => {
        await update(subTerm, withMeta({ finalizers: [] }));
        return gone(subTerm);
      },
      (s) => expect(s).toBeNull(),
    ),
    mutate(
      'SUB-M2',
      () => create(subnet('wr-sm2', { subnet: '10.71.0.0/24' })),
      (s) => expect(s?.metadata?.finalizers).toEqual([FIN]),
    ),
    mutate(
      'SUB-M3',
      () => create(subnet('wr-sm3', { subnet: 'fd00:71::/64' })),
      (s) => expect(s?.spec?.['ipVersion']).toBe(6),
    ),
    mutate(
      'SUB-M4',
      () => create(subnet('wr-sm4', { subnet: '10.71.1.0/24' })),
      (s) => expect(s?.metadata?.labels?.['ipam.spidernet.io/subnet-cidr']).toBe('10-71-1-0-24'),
    ),
    mutate(
      'SUB-M5',
      () => create(subnet('wr-sm5', { subnet: '10.71.2.0/24', ips: ['10.71.2.3', '10.71.2.1-10.71.2.2'] })),
      (s) => expect(s?.spec?.['ips']).toEqual(['10.71.2.1-10.71.2.3']),
    ),
    mutate(
      'SUB-M6',
      () => create(subnet('wr-sm6', { subnet: '10.71.3.0/24', excludeIPs: ['10.71.3.5', '10.71.3.4'] })),
      (s) => expect(s?.spec?.['excludeIPs']).toEqual(['10.71.3.4-10.71.3.5']),
    ),
    // ---- SpiderSubnet: CREATE (§3.6)
    invalidCreate(
      'SUB-V1',
      subnet('wr-sv1', { subnet: 'nope' }),
      'spec.ipVersion',
      'spec.subnet may be invalid',
    ),
    unreachable(
      'SUB-V2',
      SCHEMA_ENUM,
      () => create(subnet('wr-sv2', { ipVersion: 5, subnet: '10.72.0.0/24' })),
      schemaRejects('spec.ipVersion', 'Unsupported value'),
    ),
    unreachable(
      'SUB-V3',
      BOTH_FAMILIES,
      () => create(subnet('wr-sv3', { ipVersion: 6, subnet: 'fd00:72::/64' })),
      admitted((o) => expect(o.spec?.['ipVersion']).toBe(6)),
    ),
    invalidCreate(
      'SUB-V4',
      subnet('wr-sv4', { ipVersion: 6, subnet: '10.72.1.0/24' }),
      'spec.subnet',
      'invalid IPv6 CIDR',
    ),
    invalidCreate(
      'SUB-V5',
      subnet('wr-sv5', { subnet: '10.72.2.1/24' }),
      'spec.subnet',
      "use '10.72.2.0/24'",
    ),
    invalidCreate(
      'SUB-V6',
      subnet('wr-sv6', { subnet: '10.61.5.0/24' }),
      'spec.subnet',
      "overlaps with Subnet 'wr-sub'",
    ),
    reject(
      'SUB-V6',
      () => create(subnet('wr-sub', { subnet: '10.72.3.0/24' })),
      409,
      'AlreadyExists',
      '',
      'already exists',
    ),
    invalidCreate(
      'SUB-V7',
      subnet('wr-sv7', { subnet: '10.60.0.0/16' }),
      'spec.subnet',
      "overlaps with SpiderIPPool 'wr-base'",
    ),
    invalidCreate(
      'SUB-V8',
      subnet('wr-sv8', { subnet: '10.72.4.0/24', ips: ['10.72.4.9-10.72.4.1'] }),
      'spec.ips[0]',
      '',
    ),
    invalidCreate(
      'SUB-V9',
      subnet('wr-sv9', { subnet: '10.72.5.0/24', excludeIPs: ['10.72.6.1'] }),
      'spec.excludeIPs[0]',
      'does not belong to spec.subnet',
    ),
    invalidCreate(
      'SUB-V10',
      subnet('wr-sv10', { subnet: '10.72.7.0/24', gateway: '10.72.8.1' }),
      'spec.gateway',
      'does not belong to spec.subnet',
    ),
    invalidCreate(
      'SUB-V11',
      subnet('wr-sv11', { subnet: '10.72.9.0/24', routes: [{ dst: '0.0.0.0/0', gw: '10.72.9.1' }] }),
      'spec.routes[0].dst',
      'spec.gateway',
    ),
    // ---- SpiderSubnet: UPDATE / DELETE (§3.7, §3.8)
    reject(
      'SUB-U0',
      () => update(subTerm2, withMeta({ labels: { a: 'b' } })),
      403,
      'Forbidden',
      '',
      'terminating',
    ),
    reject(
      'SUB-U1',
      () => update(sub, withSpec({ subnet: '10.73.0.0/16' })),
      422,
      'Invalid',
      'spec.subnet',
      'is not changeable',
    ),
    unreachable(
      'SUB-U2',
      `${SCHEMA_ENUM}; a null ipVersion is re-derived by SUB-M3`,
      () => update(sub, withSpec({ ipVersion: 5 })),
      schemaRejects('spec.ipVersion', 'Unsupported value'),
    ),
    reject(
      'SUB-U3',
      () => update(sub, withSpec({ gateway: '10.99.0.1' })),
      422,
      'Invalid',
      'spec.gateway',
      'does not belong to spec.subnet',
    ),
    reject(
      'SUB-U4',
      () => update(subUsed, withSpec({ ips: ['10.62.0.1-10.62.0.55'] })),
      422,
      'Invalid',
      'spec.ips',
      "IPPool 'wr-ctl' is using",
    ),
    reject('SUB-D1', () => k.delete(subUsed), 403, 'Forbidden', '', 'allocated IPs (3)'),
    // ---- SpiderReservedIP (§4)
    unreachable(
      'RIP-M1',
      'SpiderReservedIP gets no finalizer; a terminating one exists only with a foreign finalizer, and RIP-U0 denies every update to it',
      () => update(ripHeld, withSpec({ ips: ['10.67.0.3', '10.67.0.2'] })),
      (r) => expect(r).toMatchObject({ code: 403, reason: 'Forbidden' }),
    ),
    mutate(
      'RIP-M2',
      () => create(rip('wr-rm2', { ipVersion: 4, ips: [] })),
      (s) => expect(s?.spec).toMatchObject({ ipVersion: 4, ips: [] }),
    ),
    mutate(
      'RIP-M3',
      () => create(rip('wr-rm3', { ips: ['fd00:74::1'] })),
      (s) => expect(s?.spec?.['ipVersion']).toBe(6),
    ),
    mutate(
      'RIP-M4',
      () => create(rip('wr-rm4', { ips: ['10.74.0.3', '10.74.0.1-10.74.0.2'] })),
      (s) => expect(s?.spec?.['ips']).toEqual(['10.74.0.1-10.74.0.3']),
    ),
    invalidCreate(
      'RIP-V1',
      rip('wr-rv1', { ips: ['nope'] }),
      'spec.ipVersion',
      'spec.ips is empty or spec.ips[0] may be invalid',
    ),
    unreachable(
      'RIP-V2',
      SCHEMA_ENUM,
      () => create(rip('wr-rv2', { ipVersion: 5, ips: ['10.74.1.1'] })),
      schemaRejects('spec.ipVersion', 'Unsupported value'),
    ),
    unreachable(
      'RIP-V3',
      BOTH_FAMILIES,
      () => create(rip('wr-rv3', { ips: ['fd00:74::2'] })),
      admitted((o) => expect(o.spec?.['ipVersion']).toBe(6)),
    ),
    invalidCreate('RIP-V4', rip('wr-rv4', { ips: ['10.74.2.1', '10.74.2.0/24'] }), 'spec.ips[1]', ''),
    reject(
      'RIP-U0',
      () => update(ripHeld, withMeta({ labels: { a: 'b' } })),
      403,
      'Forbidden',
      '',
      'a terminating ReservedIP cannot be updated',
    ),
    reject(
      'RIP-U1',
      () => update(ripBase, withSpec({ ipVersion: 6 })),
      422,
      'Invalid',
      'spec.ipVersion',
      'is not changeable',
    ),
    // ---- SpiderMultusConfig (§6)
    mutate(
      'SMC-M1',
      () => create(smc('wr-mm1', {})),
      (s) => expect(s?.spec?.['cniType']).toBe('custom'),
    ),
    mutate(
      'SMC-M2',
      () => create(smc('wr-mm2', macvlan)),
      (s) => expect(s?.spec?.['macvlan']).toMatchObject({ vlanID: 0 }),
    ),
    mutate(
      'SMC-M3',
      () => create(smc('wr-mm3', { ...macvlan, coordinator: {} })),
      (s) =>
        expect(s?.spec?.['coordinator']).toMatchObject({
          mode: 'auto',
          hostRuleTable: 500,
          tunePodRoutes: true,
        }),
    ),
    mutate(
      'SMC-M4',
      () => create(smc('wr-mm4', macvlan)),
      (s) => expect(s?.spec?.['chainCNIJsonData']).toEqual([]),
    ),
    mutate(
      'SMC-M5',
      () =>
        create(
          smc(
            'wr-mm5',
            { ...macvlan, macvlan: { master: ['eth0'], rdmaResourceName: 'r', ippools: { ipv4: ['p'] } } },
            { annotations: { 'cni.spidernet.io/rdma-resource-inject': 'rdma-net' } },
          ),
        ),
      (s) => expect(s?.metadata?.labels?.['cni.spidernet.io/rdma-resource-inject']).toBe('rdma-net'),
    ),
    reject(
      'SMC-V1',
      () => update(smcBase, withMeta({ annotations: { 'multus.spidernet.io/cr-name': 'wr-nad-b' } })),
      422,
      'Invalid',
      'metadata.annotations',
      '',
    ),
    invalidCreate(
      'SMC-V2',
      smc('wr-mv2a', macvlan, { annotations: { 'multus.spidernet.io/cr-name': 'Not_A_Name' } }),
      'metadata.annotations',
      'invalid custom net-attach-def name',
    ),
    invalidCreate(
      'SMC-V3',
      smc('wr-mv3', macvlan, { annotations: { 'multus.spidernet.io/cni-version': '9.9.9' } }),
      'metadata.annotations',
      'unsupported CNI version',
    ),
    unreachable(
      'SMC-V4',
      'SMC-M1 defaults a null cniType to custom before validation',
      () => create(smc('wr-mv4', { cniType: null })),
      admitted((o) => expect(o.spec?.['cniType']).toBe('custom')),
    ),
    invalidCreate(
      'SMC-V5',
      smc('wr-mv5a', { cniType: 'macvlan', macvlan: { master: [] } }),
      'spec.macvlanConfig',
      'master cannot be empty',
    ),
    invalidCreate(
      'SMC-V5',
      smc('wr-mv5b', { cniType: 'ovs', ovs: { bridge: 'br0', trunk: [{ maxID: 10 }] } }),
      'spec.ovsConfig',
      'minID is required',
    ),
    reject(
      'SMC-V5',
      () => create(smc('wr-mv5c', { ...macvlan, ipvlan: { master: ['eth0'] } })),
      422,
      'Invalid',
      'spec.cniType',
      'only supports',
    ),
    invalidCreate(
      'SMC-V6',
      smc('wr-mv6', { ...macvlan, coordinator: { podMACPrefix: '01:00' } }),
      'spec.podMACPrefix',
      'not a unicast MAC',
    ),
    invalidCreate(
      'SMC-V7',
      smc('wr-mv7', { ...macvlan, chainCNIJsonData: ['{}'] }),
      'spec.chainCNIJsonData',
      '',
    ),
    // ---- SpiderCoordinator (§7)
    mutate(
      'COO-M1',
      () => create(coo('wr-cm1', { podCIDRType: 'none' })),
      (s) =>
        expect(s?.spec).toMatchObject({
          mode: 'auto',
          tunePodRoutes: true,
          hostRuleTable: 500,
          podRPFilter: 0,
          txQueueLen: 0,
          vethLinkAddress: '',
          vethMTU: 1500,
        }),
    ),
    mutate(
      'COO-M2',
      async () => {
        await update(cooTerm, withMeta({ finalizers: [] }));
        return gone(cooTerm);
      },
      (s) => expect(s).toBeNull(),
    ),
    unreachable(
      'COO-M3',
      'a null podCIDRType stops mutation and COO-V1 then denies, so no stored object shows it',
      () => create(coo('wr-cm3', { hijackCIDR: ['169.254.0.1'] })),
      (r) => expect(r).toMatchObject({ code: 422, reason: 'Invalid' }),
    ),
    mutate(
      'COO-M4',
      () => create(coo('wr-cm4', { podCIDRType: 'none', hijackCIDR: ['169.254.25.10', 'fd00::1'] })),
      (s) => expect(s?.spec?.['hijackCIDR']).toEqual(['169.254.25.10/32', 'fd00::1/128']),
    ),
    mutate(
      'COO-M5',
      () =>
        create(
          coo('wr-cm5', {
            podCIDRType: 'none',
            policyRoutes: [
              { dst: '10.0.0.5/24', gw: '10.0.0.1' },
              { dst: 'FD00::1', gw: 'fd00::2' },
            ],
          }),
        ),
      (s) =>
        expect((s?.spec?.['policyRoutes'] as { dst: string }[]).map((r) => r.dst)).toEqual([
          '10.0.0.5/24',
          'fd00::1/128',
        ]),
    ),
    mutate(
      'COO-M6',
      () => create(coo('wr-cm6', { podCIDRType: 'none' })),
      (s) => expect(s?.metadata?.finalizers).toEqual([FIN]),
    ),
    invalidCreate('COO-V1', coo('wr-cv1', {}), 'spec.podCIDRType', 'Unsupported value'),
    unreachable(
      'COO-V2',
      SCHEMA_ENUM,
      () => create(coo('wr-cv2', { podCIDRType: 'weave' })),
      schemaRejects('spec.podCIDRType', 'Unsupported value'),
    ),
    invalidCreate(
      'COO-V3',
      coo('wr-cv3', { podCIDRType: 'none', hijackCIDR: ['nope'] }),
      'spec.extraCIDR[0]',
      '',
    ),
    invalidCreate(
      'COO-V4',
      coo('wr-cv4', { podCIDRType: 'none', policyRoutes: [{ dst: '10.0.0.0/8', gw: 'nope' }] }),
      'spec.policyRoutes[0].gw',
      'gw is not a valid IP address',
    ),
    invalidCreate(
      'COO-V5',
      coo('wr-cv5', { podCIDRType: 'none', podMACPrefix: '01:00' }),
      'spec.podMACPrefix',
      'not a unicast MAC',
    ),
    invalidCreate('COO-V6', coo('wr-cv6', { podCIDRType: 'none', txQueueLen: -1 }), 'spec.txQueueLen', ''),
    invalidCreate(
      'COO-V7',
      coo('wr-cv7', { podCIDRType: 'none', podRPFilter: 3 }),
      'spec.podRPFilter',
      'Unsupported value',
    ),
    invalidCreate(
      'COO-V8',
      coo('wr-cv8', { podCIDRType: 'none', vethLinkAddress: 'nope' }),
      'spec.vethLinkAddress',
      '',
    ),
    unreachable(
      'COO-V9',
      'the CRD schema (minimum 1) rejects vethMTU <= 0 before validating admission runs',
      () => create(coo('wr-cv9', { podCIDRType: 'none', vethMTU: 0 })),
      schemaRejects('spec.vethMTU', 'greater than or equal to 1'),
    ),
  ];

  it.each(rows.map((r, i) => [`${r.rule} (${r.kind}) #${i}`, r] as const))('%s', async (_name, row) => {
    if (row.kind === 'mutate') {
      row.check(await row.act());
      tally.mutate.add(row.rule);
      return;
    }
    const r = await outcome(row.act);
    if (row.kind === 'unreachable') {
      row.expect(r);
      tally.unreachable.set(row.rule, row.why);
      return;
    }
    if (!isRejection(r))
      throw new Error(
        `${row.rule}: expected a rejection, the API server admitted ${r?.metadata?.name ?? 'the request'}`,
      );
    expect({ code: r.code, reason: r.reason }).toEqual({ code: row.code, reason: row.reason });
    expect(r.message).toContain('admission webhook');
    expect(r.message).toContain(row.field ? `${row.field}: ` : '');
    expect(r.message).toContain(row.text);
    tally.reject.add(row.rule);
  });
});
