import { AdmissionHarness, verdict } from '../admission/admission-harness.fake.js';
import { coordinatorWebhook } from './coordinator.module.js';

const coord = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({ metadata: { name: 'default', ...meta }, spec });
const h = () => new AdmissionHarness(coordinatorWebhook());

describe('SpiderCoordinator webhooks', () => {
  it('COO-M1/M4/M5/M6: defaults, hijackCIDR and policyRoutes normalised, finalizer', async () => {
    const out = await h().mutate(
      coord({ podCIDRType: 'cluster', hijackCIDR: ['169.254.0.10', '10.0.0.0/8', 'fd00::1'], policyRoutes: [{ dst: 'FD00::1', gw: 'fd00::2' }, { dst: '10.0.0.5/24', gw: '10.0.0.1' }] }),
    );
    expect(out.spec).toEqual({
      podCIDRType: 'cluster',
      mode: 'auto',
      tunePodRoutes: true,
      hostRuleTable: 500,
      podRPFilter: 0,
      txQueueLen: 0,
      vethLinkAddress: '',
      vethMTU: 1500,
      hijackCIDR: ['169.254.0.10/32', '10.0.0.0/8', 'fd00::1/128'],
      policyRoutes: [{ dst: 'fd00::1/128', gw: 'fd00::2' }, { dst: '10.0.0.5/24', gw: '10.0.0.1' }],
    });
    expect(out.metadata?.finalizers).toEqual(['spiderpool.spidernet.io']);
  });
  it('COO-M3: no podCIDRType → defaults only, no finalizer', async () => {
    const out = await h().mutate(coord({}));
    expect(out.spec?.['vethMTU']).toBe(1500);
    expect(out.metadata?.finalizers).toBeUndefined();
  });
  it('COO-M1: legacy mode "disable" becomes the enum value "disabled" (quirk 6)', async () => {
    expect((await h().mutate(coord({ podCIDRType: 'none', mode: 'disable' }))).spec?.['mode']).toBe('disabled');
  });
  const ok = { podCIDRType: 'cluster', podRPFilter: 0 };
  it.each<[string, Record<string, unknown>, string]>([
    ['COO-V1 podCIDRType missing', { podRPFilter: 0 }, '422 spec.podCIDRType:FieldValueNotSupported'],
    ['COO-V2 podCIDRType unknown', { ...ok, podCIDRType: 'flannel' }, '422 spec.podCIDRType:FieldValueNotSupported'],
    ['COO-V3 bad hijackCIDR (upstream path)', { ...ok, hijackCIDR: ['10.0.0.0/8', 'nope'] }, '422 spec.extraCIDR[1]:FieldValueInvalid'],
    ['COO-V4 bad dst', { ...ok, policyRoutes: [{ dst: 'x', gw: '10.0.0.1' }] }, '422 spec.policyRoutes[0].dst:FieldValueInvalid'],
    ['COO-V4 bad gw', { ...ok, policyRoutes: [{ dst: '10.0.0.0/8', gw: 'x' }] }, '422 spec.policyRoutes[0].gw:FieldValueInvalid'],
    ['COO-V4 mixed family', { ...ok, policyRoutes: [{ dst: '10.0.0.0/8', gw: 'fd00::1' }] }, '422 spec.policyRoutes[0]:FieldValueInvalid'],
    ['COO-V5 strict hex', { ...ok, podMACPrefix: '+2:00' }, '422 spec.podMACPrefix:FieldValueInvalid'],
    ['COO-V5 multicast', { ...ok, podMACPrefix: '01:00' }, '422 spec.podMACPrefix:FieldValueInvalid'],
    ['COO-V6 txQueueLen', { ...ok, txQueueLen: -1 }, '422 spec.txQueueLen:FieldValueInvalid'],
    ['COO-V7 podRPFilter 3', { ...ok, podRPFilter: 3 }, '422 spec.podRPFilter:FieldValueNotSupported'],
    ['COO-V7 podRPFilter null', { podCIDRType: 'cluster' }, '422 spec.podRPFilter:FieldValueNotSupported'],
    ['COO-V7 negative accepted', { ...ok, podRPFilter: -1 }, 'allowed'],
    ['COO-V8 vethLinkAddress', { ...ok, vethLinkAddress: 'abc' }, '422 spec.vethLinkAddress:FieldValueInvalid'],
    ['COO-V9 vethMTU 0', { ...ok, vethMTU: 0 }, '422 spec.vethMTU:FieldValueInvalid'],
    ['valid', { ...ok, podMACPrefix: '0a:1b', vethLinkAddress: '169.254.200.1', hijackCIDR: ['10.0.0.5/8'] }, 'allowed'],
  ])('%s', async (_n, spec, want) => {
    expect(verdict(await h().create(coord(spec)))).toBe(want);
    expect(verdict(await h().update(coord(ok), coord(spec)))).toBe(want);
  });
});
