import type { ReconcileContext } from '@spiderpool/k8s-runtime';
import { pino } from 'pino';
import { FakeEventPort } from '../multusconfig/event-port.fake.js';
import { CoordinatorEnvSchema, coordinatorOptions, parseHijackCidr, parsePolicyRoutes } from './coordinator.config.js';
import { FakeCoordinatorClusterReader, FakeCoordinatorManager } from './coordinator.manager.fake.js';
import { CoordinatorReconciler } from './coordinator.reconciler.js';
import { APPLIED_DEFAULT_SPEC_ANNOTATION } from './coordinator-status.js';
import { NO_KCM_POD_REASON } from './cidr-detection.js';

const ctx = (): ReconcileContext => ({ log: pino({ level: 'silent' }), reconcileId: 'r', signal: new AbortController().signal, retries: 0 });
async function live(m: FakeCoordinatorManager, name = 'default') {
  const c = await m.get(name);
  if (!c) throw new Error(`${name} missing`);
  return c;
}
const KUBEADM = 'kube-system/kubeadm-config';
const SEED_KUBEADM = { ClusterConfiguration: 'networking:\n  podSubnet: 10.244.64.0/18\n  serviceSubnet: 10.233.0.0/18\n' };

function setup(env: Record<string, string> = {}) {
  const options = coordinatorOptions(CoordinatorEnvSchema.parse({ SPIDERPOOL_COORDINATOR_ENABLED: 'true', ...env }));
  const coordinators = new FakeCoordinatorManager();
  const reader = new FakeCoordinatorClusterReader();
  const events = new FakeEventPort();
  return { options, coordinators, reader, events, reconciler: new CoordinatorReconciler(options, coordinators, reader, events) };
}

describe('CoordinatorReconciler', () => {
  it('creates the default coordinator from configuration and syncs it from kubeadm-config (seed 004)', async () => {
    const { coordinators, reader, events, reconciler } = setup({
      SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: 'cluster',
      SPIDERPOOL_INIT_DEFAULT_COORDINATOR_HIJACK_CIDR: '["169.254.0.0/16"]',
    });
    reader.configMaps.set(KUBEADM, SEED_KUBEADM);
    const result = await reconciler.reconcile({ name: 'default' }, ctx());
    const c = (await live(coordinators));
    expect(c.spec).toMatchObject({ mode: 'auto', podCIDRType: 'cluster', tunePodRoutes: true, hijackCIDR: ['169.254.0.0/16'], vethMTU: 1500 });
    expect(c.status).toEqual({ phase: 'Synced', overlayPodCIDR: ['10.244.64.0/18'], serviceCIDR: ['10.233.0.0/18'] });
    expect(events.reasons()).toEqual(['Synced']);
    expect(result.requeueAfterMs).toBe(60_000);
  });

  it('falls back to the kube-controller-manager pod when kubeadm-config is missing', async () => {
    const { coordinators, reader, reconciler } = setup({ SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: 'cluster' });
    reader.kcmPods = [{ spec: { containers: [{ command: ['kube-controller-manager', '--cluster-cidr=10.244.0.0/16', '--service-cluster-ip-range=10.96.0.0/12'] }] } }];
    await reconciler.reconcile({ name: 'default' }, ctx());
    expect((await live(coordinators)).status).toEqual({ phase: 'Synced', overlayPodCIDR: ['10.244.0.0/16'], serviceCIDR: ['10.96.0.0/12'] });
  });

  it.each([
    ['none', undefined],
    ['calico', undefined],
    ['cluster', undefined],
  ])('podCIDRType %s without kubeadm-config or KCM pod is NotReady', async (type) => {
    const { coordinators, events, reconciler } = setup({ SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: type });
    await reconciler.reconcile({ name: 'default' }, ctx());
    expect((await live(coordinators)).status).toEqual({ phase: 'NotReady', reason: NO_KCM_POD_REASON, overlayPodCIDR: [], serviceCIDR: [] });
    expect(events.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'NotReady' });
  });

  it('KCM list failure → NotReady with the error text and a ClusterNotReady event', async () => {
    const { coordinators, reader, events, reconciler } = setup({ SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: 'none' });
    reader.kcmPods = new Error('forbidden');
    await reconciler.reconcile({ name: 'default' }, ctx());
    expect((await live(coordinators)).status).toMatchObject({ phase: 'NotReady', reason: 'forbidden' });
    expect(events.reasons()).toContain('ClusterNotReady');
  });

  it('auto resolves through the CNI directory: calico reads Calico IPPools; none gives no overlay', async () => {
    const { coordinators, reader, reconciler } = setup();
    reader.configMaps.set(KUBEADM, SEED_KUBEADM);
    reader.cniFiles.set('10-calico.conflist', '{"name":"k8s-pod-network","plugins":[]}');
    reader.calicoPools = [{ metadata: { name: 'p' }, spec: { cidr: '10.233.64.0/18' } }];
    await reconciler.reconcile({ name: 'default' }, ctx());
    expect((await live(coordinators)).status).toEqual({ phase: 'Synced', overlayPodCIDR: ['10.233.64.0/18'], serviceCIDR: ['10.233.0.0/18'] });

    reader.cniFiles.clear();
    await reconciler.reconcile({ name: 'default' }, ctx());
    expect((await live(coordinators)).status).toEqual({ phase: 'Synced', overlayPodCIDR: [], serviceCIDR: ['10.233.0.0/18'] });
  });

  it('a Calico list failure keeps serviceCIDR and reports NotReady', async () => {
    const { coordinators, reader, reconciler } = setup({ SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: 'calico' });
    reader.configMaps.set(KUBEADM, SEED_KUBEADM);
    reader.calicoPools = [];
    await reconciler.reconcile({ name: 'default' }, ctx());
    reader.calicoPools = new Error('the server could not find the requested resource');
    await reconciler.reconcile({ name: 'default' }, ctx());
    expect((await live(coordinators)).status).toEqual({
      phase: 'NotReady',
      reason: 'the server could not find the requested resource',
      overlayPodCIDR: [],
      serviceCIDR: ['10.233.0.0/18'],
    });
  });

  it('cilium: a missing ConfigMap is NotReady with a CiliumNotReady event; cluster-pool needs no pool CRD', async () => {
    const { coordinators, reader, events, reconciler } = setup({ SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: 'cilium' });
    reader.configMaps.set(KUBEADM, SEED_KUBEADM);
    await reconciler.reconcile({ name: 'default' }, ctx());
    expect((await live(coordinators)).status?.phase).toBe('NotReady');
    expect(events.reasons()).toContain('CiliumNotReady');
    reader.configMaps.set('kube-system/cilium-config', { ipam: 'cluster-pool', 'cluster-pool-ipv4-cidr': '10.0.0.0/8' });
    await reconciler.reconcile({ name: 'default' }, ctx());
    expect((await live(coordinators)).status).toEqual({ phase: 'Synced', overlayPodCIDR: ['10.0.0.0/8'], serviceCIDR: ['10.233.0.0/18'] });
  });

  it('writes status only when it changes', async () => {
    const { coordinators, reader, reconciler } = setup({ SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: 'cluster' });
    reader.configMaps.set(KUBEADM, SEED_KUBEADM);
    await reconciler.reconcile({ name: 'default' }, ctx());
    await reconciler.reconcile({ name: 'default' }, ctx());
    expect(coordinators.statusWrites).toHaveLength(1);
  });

  it('keeps user edits until the configuration changes, then applies the new configuration', async () => {
    const first = setup({ SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: 'cluster' });
    await first.reconciler.reconcile({ name: 'default' }, ctx());
    await first.coordinators.patch('default', { spec: { podCIDRType: 'none' } });
    await first.reconciler.reconcile({ name: 'default' }, ctx());
    expect((await live(first.coordinators)).spec.podCIDRType).toBe('none');

    const changed = setup({ SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: 'calico' });
    const restarted = new CoordinatorReconciler(changed.options, first.coordinators, first.reader, first.events);
    await restarted.reconcile({ name: 'default' }, ctx());
    const c = (await live(first.coordinators));
    expect(c.spec.podCIDRType).toBe('calico');
    expect(JSON.parse(c.metadata.annotations?.[APPLIED_DEFAULT_SPEC_ANNOTATION] ?? '').podCIDRType).toBe('calico');
  });

  it('ignores other SpiderCoordinators and honours the configured name', async () => {
    const { coordinators, reconciler } = setup({ SPIDERPOOL_COORDINATOR_DEAFULT_NAME: 'main' });
    await reconciler.reconcile({ name: 'default' }, ctx());
    expect(coordinators.store.size).toBe(0);
    await reconciler.reconcile({ name: 'main' }, ctx());
    expect(coordinators.store.has('main')).toBe(true);
  });
});

describe('coordinator configuration', () => {
  it('parses the chart-encoded hijackCIDR and policyRoutes, normalising bare IPs', () => {
    expect(parseHijackCidr('["169.254.0.0/16", "10.0.0.1"]')).toEqual(['169.254.0.0/16', '10.0.0.1/32']);
    expect(parseHijackCidr('')).toEqual([]);
    expect(parsePolicyRoutes('[{\\"dst\\":\\"FD00::1\\",\\"gw\\":\\"fd00::fe\\"}]')).toEqual([{ dst: 'fd00::1/128', gw: 'fd00::fe' }]);
  });

  it('prefers the correctly spelt default-name variable', () => {
    const o = coordinatorOptions(CoordinatorEnvSchema.parse({ SPIDERPOOL_COORDINATOR_DEFAULT_NAME: 'a', SPIDERPOOL_COORDINATOR_DEAFULT_NAME: 'b' }));
    expect(o.name).toBe('a');
  });

  it('rejects a non-positive veth MTU', () => {
    expect(CoordinatorEnvSchema.safeParse({ SPIDERPOOL_INIT_DEFAULT_COORDINATOR_VETH_MTU: '0' }).success).toBe(false);
  });
});
