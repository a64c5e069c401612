// Admission through the REAL API server: the webhook runs in-process on 127.0.0.1 with generated certs, and the
// configurations point the API server at it (house style §18, int tier).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../admission/kind-webhook.js';
import { failureOf, KubeObjects } from './kube-objects.int-kit.js';
import { startWebhookUnderTest, type WebhookUnderTest } from './webhook-under-test.int-kit.js';

const SEEDS = join(dirname(fileURLToPath(import.meta.url)), '../../../../libs/crd-types/src/fixtures/seeds');
const REG_NAME = `spiderpool-webhook-int-${process.pid}`;
const G = 'spiderpool.spidernet.io/v2beta1';

const pool = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: G,
  kind: 'SpiderIPPool',
  metadata: { name },
  spec,
});

describe('webhook through the API server', () => {
  let wh: WebhookUnderTest | undefined;
  let k: KubeObjects;
  const created: KubeObject[] = [];

  async function create(obj: KubeObject): Promise<KubeObject> {
    const out = await k.create(obj);
    created.push(obj);
    return out;
  }

  async function rejected(
    obj: KubeObject | (() => Promise<unknown>),
  ): Promise<{ code: number; message: string }> {
    try {
      if (typeof obj === 'function') await obj();
      else await create(obj);
    } catch (err) {
      return failureOf(err);
    }
    throw new Error('expected the API server to reject the request');
  }

  beforeAll(async () => {
    wh = await startWebhookUnderTest({
      registrationName: REG_NAME,
      env: { SPIDERPOOL_ENABLE_VALIDATING_RESOURCES_DELETED_WEBHOOK: 'true' },
    });
    ({ k } = wh);
  }, 120_000);

  afterEach(async () => {
    for (const obj of created.splice(0).reverse()) await k.purge(obj);
  });

  afterAll(async () => {
    await wh?.unregister();
    await wh?.close();
  });

  describe('seed manifests are accepted unchanged', () => {
    const files = readdirSync(SEEDS)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    it.each(files)('%s', async (file) => {
      // The guides use shell variables (`${MACVLAN_MULTUS_NAME}`) the user exports first; substitute plain values.
      const text = readFileSync(join(SEEDS, file), 'utf8').replace(/\$\{([A-Z0-9_]+)\}/g, (_m, v: string) =>
        v.toLowerCase().replace(/_/g, '-'),
      );
      const docs = parseAllDocuments(text).map((d) => d.toJS() as KubeObject);
      for (const doc of docs.filter((d) => d?.apiVersion === G)) {
        const { status: _status, ...obj } = doc;
        const stored = await create(obj);
        expect(stored.metadata?.name).toBe(obj.metadata?.name);
        if (obj.kind === 'SpiderIPPool')
          expect(stored.metadata?.finalizers).toContain('spiderpool.spidernet.io');
      }
    });
  });

  it('IPP-M2..M4: defaults are visible after create', async () => {
    const stored = await create(
      pool('int-defaults', { subnet: '10.20.0.0/24', ips: ['10.20.0.3', '10.20.0.1-10.20.0.2'] }),
    );
    expect(stored.spec).toMatchObject({ ipVersion: 4, ips: ['10.20.0.1-10.20.0.3'] });
    expect(stored.metadata?.labels?.['ipam.spidernet.io/ippool-cidr']).toBe('10-20-0-0-24');
    expect(stored.metadata?.finalizers).toEqual(['spiderpool.spidernet.io']);
  });

  it('SMC-M1..M4 and COO-M1: defaults are visible after create', async () => {
    const smc = await create({
      apiVersion: G,
      kind: 'SpiderMultusConfig',
      metadata: { name: 'int-smc', namespace: 'default' },
      spec: { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
    });
    expect(smc.spec).toMatchObject({
      chainCNIJsonData: [],
      coordinator: { mode: 'auto', hostRuleTable: 500, tunePodRoutes: true },
      macvlan: { vlanID: 0 },
    });
    const coord = await create({
      apiVersion: G,
      kind: 'SpiderCoordinator',
      metadata: { name: 'int-coord' },
      spec: { podCIDRType: 'none', hijackCIDR: ['169.254.25.10'] },
    });
    expect(coord.spec).toMatchObject({ vethMTU: 1500, hijackCIDR: ['169.254.25.10/32'] });
  });

  it.each<[string, KubeObject, number, string]>([
    ['IPP-V1 null ipVersion (subnet unparsable)', pool('int-v1', { subnet: 'nope' }), 422, 'spec.ipVersion'],
    [
      'IPP-V4 subnet of the other family',
      pool('int-v4', { ipVersion: 6, subnet: '10.0.0.0/8' }),
      422,
      'spec.subnet',
    ],
    ['IPP-V5 non-canonical subnet', pool('int-v5', { subnet: '10.21.0.1/24' }), 422, "use '10.21.0.0/24'"],
    [
      'IPP-V7 ip outside the subnet',
      pool('int-v7', { subnet: '10.22.0.0/24', ips: ['10.23.0.1'] }),
      422,
      'not in base subnet',
    ],
    [
      'IPP-V8 gateway in ips',
      pool('int-v8', { subnet: '10.24.0.0/24', gateway: '10.24.0.1', ips: ['10.24.0.1-10.24.0.9'] }),
      422,
      'conflicts with spec.gateway',
    ],
    [
      'IPP-V9 default route',
      pool('int-v9', { subnet: '10.25.0.0/24', routes: [{ dst: '0.0.0.0/0', gw: '10.25.0.1' }] }),
      422,
      'spec.routes[0].dst',
    ],
    [
      'IPP-V10 empty podAffinity',
      pool('int-v10', { subnet: '10.26.0.0/24', podAffinity: {} }),
      422,
      'an empty podAffinity',
    ],
    [
      'RIP-V4 CIDR in reserved ips',
      {
        apiVersion: G,
        kind: 'SpiderReservedIP',
        metadata: { name: 'int-rip' },
        spec: { ips: ['10.0.0.1', '10.0.0.0/24'] },
      },
      422,
      'spec.ips[1]',
    ],
    [
      'SUB-V8 reversed subnet range',
      {
        apiVersion: G,
        kind: 'SpiderSubnet',
        metadata: { name: 'int-sub' },
        spec: { subnet: '10.27.0.0/24', ips: ['10.27.0.9-10.27.0.1'] },
      },
      422,
      'spec.ips[0]',
    ],
    [
      'COO-V5 multicast MAC prefix',
      {
        apiVersion: G,
        kind: 'SpiderCoordinator',
        metadata: { name: 'int-coo' },
        spec: { podCIDRType: 'none', podMACPrefix: '01:00' },
      },
      422,
      'not a unicast MAC',
    ],
    [
      'SMC-V5 ovs partial trunk',
      {
        apiVersion: G,
        kind: 'SpiderMultusConfig',
        metadata: { name: 'int-ovs', namespace: 'default' },
        spec: { cniType: 'ovs', ovs: { bridge: 'br0', trunk: [{ maxID: 10 }] } },
      },
      422,
      'minID is required',
    ],
    [
      'SMC-V7 chain entry without type',
      {
        apiVersion: G,
        kind: 'SpiderMultusConfig',
        metadata: { name: 'int-chain', namespace: 'default' },
        spec: { cniType: 'macvlan', macvlan: { master: ['eth0'] }, chainCNIJsonData: ['{}'] },
      },
      422,
      'spec.chainCNIJsonData',
    ],
  ])('rejects %s', async (_n, obj, code, text) => {
    const r = await rejected(obj);
    expect(r.code).toBe(code);
    expect(r.message).toContain(text);
  });

  it('IPP-V6: overlapping subnets of different pools are rejected', async () => {
    await create(pool('int-a', { subnet: '10.30.0.0/16' }));
    const r = await rejected(pool('int-b', { subnet: '10.30.1.0/24' }));
    expect(r.message).toContain("overlaps with IPPool 'int-a'");
  });

  it('IPP-V7: sibling pools of one subnet may not share IPs', async () => {
    await create(pool('int-s1', { subnet: '10.31.0.0/24', ips: ['10.31.0.1-10.31.0.10'] }));
    const r = await rejected(pool('int-s2', { subnet: '10.31.0.0/24', ips: ['10.31.0.10-10.31.0.20'] }));
    expect(r.message).toContain("overlaps with IPPool 'int-s1'");
  });

  it('IPP-U1 / IPP-U5 / IPP-D1: immutable subnet, no shrinking below allocations, no deleting a pool in use', async () => {
    const p = await create(pool('int-used', { subnet: '10.32.0.0/24', ips: ['10.32.0.1-10.32.0.10'] }));
    const withStatus = await k.replaceStatus({
      ...p,
      status: {
        allocatedIPs: JSON.stringify({ '10.32.0.9': { pod: 'default/app-1', podUid: 'u1' } }),
        allocatedIPCount: 1,
      },
    });
    const immut = await rejected(() =>
      k.replace({ ...withStatus, spec: { ...withStatus.spec, subnet: '10.33.0.0/24' } }),
    );
    expect(immut.message).toContain('spec.subnet: Forbidden: is not changeable');
    const shrink = await rejected(() =>
      k.replace({ ...withStatus, spec: { ...withStatus.spec, ips: ['10.32.0.1-10.32.0.5'] } }),
    );
    expect(shrink.code).toBe(422);
    expect(shrink.message).toContain("Pod 'default/app-1'");
    const del = await rejected(() => k.delete(withStatus));
    expect(del.code).toBe(403);
    expect(del.message).toContain('allocated IPs (1)');
    await k.replaceStatus({ ...(await k.get(withStatus)), status: { allocatedIPCount: 0 } });
  });
});
