import { CoordinatorConfigError } from './coordinator.errors.js';
import { resolveCoordinatorConfig, validateMacPrefix } from './coordinator-config.js';
import { macFromPrefix } from './mac-prefix.js';
import { parseCoordinatorNetconf } from './netconf.schema.js';

const conf = (extra: Record<string, unknown> = {}) =>
  parseCoordinatorNetconf({ name: 'n', cniVersion: '1.0.0', type: 'coordinator', ...extra });

describe('coordinator config merge (spec §3.1)', () => {
  it('uses defaults when neither netconf nor agent says anything', () => {
    expect(resolveCoordinatorConfig(conf(), undefined)).toEqual({
      mode: 'auto',
      podDefaultCniNic: 'eth0',
      tunePodRoutes: true,
      podDefaultRouteNic: '',
      podMACPrefix: '',
      hijack: [],
      policyRoutes: [],
      hostRuleTable: 500,
      podRPFilter: 0,
      txQueueLen: 0,
      vethLinkAddress: '',
      vethMTU: 1500,
    });
  });

  it('netconf wins, agent fills the rest; hijack = overlay ++ service ++ hijack, masked', () => {
    const r = resolveCoordinatorConfig(conf({ tunePodRoutes: false, serviceCIDR: ['10.96.0.1/12'] }), {
      mode: 'underlay',
      overlayPodCIDR: ['10.244.0.0/16'],
      serviceCIDR: ['10.233.0.0/18'],
      hijackCIDR: ['169.254.0.0/16'],
      tunePodRoutes: true,
      hostRuleTable: 0,
      vethMTU: 0,
      policyRoutes: [{ dst: ' 10.1.1.1 ', gw: '10.0.0.1' }],
    });
    expect(r.mode).toBe('underlay');
    expect(r.tunePodRoutes).toBe(false);
    expect(r.hijack).toEqual(['10.244.0.0/16', '10.96.0.0/12', '169.254.0.0/16']);
    expect(r.hostRuleTable).toBe(500);
    expect(r.vethMTU).toBe(1500);
    expect(r.policyRoutes).toEqual([{ family: 4, dst: '10.1.1.1/32', gw: '10.0.0.1' }]);
  });

  it('accepts numeric strings for integers', () => {
    expect(
      resolveCoordinatorConfig(conf({ hostRuleTable: '600', vethMTU: '9000' }), undefined),
    ).toMatchObject({
      hostRuleTable: 600,
      vethMTU: 9000,
    });
  });

  it.each(['0a:1b', 'AA:00', '02:ff'])('MAC prefix %s is valid', (p) => {
    expect(validateMacPrefix(p)).toBe(p.toLowerCase());
  });
  it.each(['0b:1b', '0a-1b', '0a,1b', '0a:1', 'zz:00', '0a:1b:2c'])('MAC prefix %s is rejected (D7)', (p) => {
    expect(() => validateMacPrefix(p)).toThrow(CoordinatorConfigError);
  });

  it('derives the MAC from the last 4 bytes of the IP', () => {
    expect(macFromPrefix('0a:1b', '172.18.40.23')).toBe('0a:1b:ac:12:28:17');
    expect(macFromPrefix('0a:1b', 'fd00::a:b0c:d')).toBe('0a:1b:0b:0c:00:0d');
  });
});
