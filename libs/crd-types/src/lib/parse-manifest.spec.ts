import { parseManifest } from './parse-manifest.js';
import { SpiderMultusConfigSchema } from './spider-multus-config.schema.js';

const pool = (spec: Record<string, unknown>) => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name: 'p' },
  spec: { subnet: '10.0.0.0/16', ...spec },
});

function issuesOf(obj: unknown) {
  const result = parseManifest(obj);
  if (result.ok) throw new Error('expected a failure');
  return result.issues;
}

describe('parseManifest', () => {
  it('accepts a valid pool and returns its kind', () => {
    const result = parseManifest(pool({ ipVersion: 4, ips: ['10.0.0.2-10.0.0.9'] }));
    expect(result).toMatchObject({ ok: true, kind: 'SpiderIPPool', value: { spec: { ipVersion: 4 } } });
  });

  it('rejects a bad ipVersion enum with its field path', () => {
    expect(issuesOf(pool({ ipVersion: 5 })).map((i) => i.path)).toEqual(['spec.ipVersion']);
  });

  it('rejects wrong types with indexed paths', () => {
    const issues = issuesOf(pool({ routes: [{ dst: '10.1.0.0/16', gw: 7 }], default: 'yes' }));
    expect(issues.map((i) => i.path).sort()).toEqual(['spec.default', 'spec.routes[0].gw']);
  });

  it('rejects a missing required field', () => {
    const obj = pool({});
    delete (obj.spec as Record<string, unknown>)['subnet'];
    expect(issuesOf(obj).map((i) => i.path)).toEqual(['spec.subnet']);
  });

  it('rejects unknown spec fields (kubectl strict field validation)', () => {
    expect(issuesOf(pool({ vlan: 5 }))[0]).toMatchObject({ path: 'spec' });
  });

  it('rejects an unknown kind and an unknown apiVersion of a known kind', () => {
    expect(issuesOf({ apiVersion: 'spiderpool.spidernet.io/v2beta1', kind: 'SpiderClaimParameter' })).toEqual([
      expect.objectContaining({ path: 'kind' }),
    ]);
    expect(issuesOf({ ...pool({}), apiVersion: 'spiderpool.spidernet.io/v1' })[0]?.path).toBe('kind');
    expect(issuesOf('not an object')[0]?.path).toBe('');
  });

  it('rejects a bad SpiderMultusConfig enum and an out-of-range vlanID', () => {
    const smc = (spec: Record<string, unknown>) => ({
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderMultusConfig',
      metadata: { name: 'm', namespace: 'kube-system' },
      spec,
    });
    expect(issuesOf(smc({ cniType: 'bridge' })).map((i) => i.path)).toEqual(['spec.cniType']);
    expect(issuesOf(smc({ cniType: 'macvlan', macvlan: { master: ['eth0'], vlanID: 4095 } }))[0]?.path).toBe(
      'spec.macvlan.vlanID',
    );
  });

  it('applies SpiderMultusConfig CRD defaults', () => {
    const parsed = SpiderMultusConfigSchema.parse({
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderMultusConfig',
      metadata: { name: 'm' },
      spec: { cniType: 'vlan', vlan: { master: ['eth0'] }, coordinator: {} },
    });
    expect(parsed.spec).toMatchObject({
      enableCoordinator: true,
      disableIPAM: false,
      vlan: { vlanMode: 'manual', mtu: 0 },
      coordinator: { mode: 'auto', tunePodRoutes: true, hostRuleTable: 500, podRPFilter: 0, txQueueLen: 0 },
    });
  });

  it('parses a SpiderEndpoint and requires status.current fields', () => {
    const se = {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderEndpoint',
      metadata: { name: 'web-0', namespace: 'default' },
      status: {
        current: { uid: 'u', node: 'n1', ips: [{ interface: 'eth0', ipv4: '10.0.0.5/16', ipv4Pool: 'p' }] },
        ownerControllerType: 'StatefulSet',
        ownerControllerName: 'web',
      },
    };
    const ok = parseManifest(se);
    expect(ok.ok && ok.kind === 'SpiderEndpoint' && ok.value.status?.current.ips[0]?.vlan).toBe(0);
    const bad = { ...se, status: { ...se.status, current: { uid: 'u', ips: [] } } };
    expect(issuesOf(bad).map((i) => i.path)).toEqual(['status.current.node']);
  });
});
