import { SpiderCoordinatorSchema, type SpiderCoordinator } from '@spiderpool/crd-types';
import { FakeCluster } from '../cluster/cluster.fake.js';
import {
  CoordinatorNotFoundError,
  CoordinatorNotReadyError,
  NotReadyError,
  PodNotFoundError,
} from '../errors.js';
import { podView } from '../ipam/fake-agent.fake.js';
import { ANNOTATION_DEFAULT_ROUTE_NIC } from './coordinator-config.js';
import { CoordinatorConfigService } from './coordinator-config.service.js';

/** A SpiderCoordinator with the webhook defaults applied (the schema's defaults). */
const coordinator = (
  spec: Record<string, unknown> = {},
  status: SpiderCoordinator['status'] = {
    phase: 'Synced',
    overlayPodCIDR: ['10.244.0.0/16'],
    serviceCIDR: ['10.96.0.0/12'],
  },
  name = 'default',
): SpiderCoordinator =>
  SpiderCoordinatorSchema.parse({
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderCoordinator',
    metadata: { name },
    spec: { podCIDRType: 'cluster', ...spec },
    ...(status ? { status } : {}),
  });

const setup = (c?: SpiderCoordinator, name = 'default') => {
  const cluster = new FakeCluster();
  if (c) cluster.coordinators.set(c.metadata.name as string, c);
  cluster.addPod(podView('web', { namespace: 'ns' }));
  return {
    cluster,
    svc: new CoordinatorConfigService({ cache: cluster, api: cluster, coordinatorName: name }),
  };
};

describe('CoordinatorConfigService', () => {
  it('answers the spec with webhook defaults and the detected CIDRs', async () => {
    const { svc } = setup(coordinator());
    expect(await svc.configFor({ podNamespace: 'ns', podName: 'web' })).toEqual({
      mode: 'auto',
      overlayPodCIDR: ['10.244.0.0/16'],
      serviceCIDR: ['10.96.0.0/12'],
      policyRoutes: null,
      podMACPrefix: '',
      tunePodRoutes: true,
      hostRuleTable: 500,
      podRPFilter: 0,
      txQueueLen: 0,
      vethLinkAddress: '',
      vethMTU: 0,
    });
  });

  it('passes every set field through', async () => {
    const { svc } = setup(
      coordinator({
        mode: 'underlay',
        hijackCIDR: ['169.254.0.0/16'],
        policyRoutes: [{ dst: '10.7.0.0/16', gw: '10.6.0.1' }],
        podMACPrefix: '0a:1b',
        tunePodRoutes: false,
        podDefaultRouteNIC: 'net1',
        hostRuleTable: 600,
        podRPFilter: 2,
        txQueueLen: 1000,
        vethLinkAddress: '169.254.200.1',
        vethMTU: 9000,
      }),
    );
    expect(await svc.configFor({ podNamespace: 'ns', podName: 'web' })).toMatchObject({
      mode: 'underlay',
      hijackCIDR: ['169.254.0.0/16'],
      policyRoutes: [{ dst: '10.7.0.0/16', gw: '10.6.0.1' }],
      podMACPrefix: '0a:1b',
      tunePodRoutes: false,
      podDefaultRouteNIC: 'net1',
      hostRuleTable: 600,
      podRPFilter: 2,
      txQueueLen: 1000,
      vethLinkAddress: '169.254.200.1',
      vethMTU: 9000,
    });
  });

  it('lets the pod annotation override the default-route NIC, even when empty', async () => {
    const { cluster, svc } = setup(coordinator({ podDefaultRouteNIC: 'net1' }));
    cluster.addPod(
      podView('a', { namespace: 'ns', annotations: { [ANNOTATION_DEFAULT_ROUTE_NIC]: 'net2' } }),
    );
    cluster.addPod(podView('b', { namespace: 'ns', annotations: { [ANNOTATION_DEFAULT_ROUTE_NIC]: '' } }));
    expect((await svc.configFor({ podNamespace: 'ns', podName: 'a' })).podDefaultRouteNIC).toBe('net2');
    expect((await svc.configFor({ podNamespace: 'ns', podName: 'b' })).podDefaultRouteNIC).toBe('');
    expect((await svc.configFor({ podNamespace: 'ns', podName: 'web' })).podDefaultRouteNIC).toBe('net1');
  });

  it('answers [] for CIDRs the controller has not detected (defect D4)', async () => {
    const { svc } = setup(coordinator({}, { phase: 'Synced' }));
    const c = await svc.configFor({ podNamespace: 'ns', podName: 'web' });
    expect(c.overlayPodCIDR).toEqual([]);
    expect(c.serviceCIDR).toEqual([]);
  });

  it('uses the configured name, not whichever coordinator comes first', async () => {
    const { cluster, svc } = setup(coordinator({ mode: 'overlay' }, undefined, 'other'), 'mine');
    await expect(svc.configFor({ podNamespace: 'ns', podName: 'web' })).rejects.toBeInstanceOf(
      CoordinatorNotFoundError,
    );
    cluster.coordinators.set('mine', coordinator({ mode: 'underlay' }, undefined, 'mine'));
    expect((await svc.configFor({ podNamespace: 'ns', podName: 'web' })).mode).toBe('underlay');
  });

  it('refuses a coordinator that is not Synced, an unknown pod and unsynced caches with typed errors', async () => {
    await expect(
      setup(coordinator({}, { phase: 'NotReady', reason: 'no pod CIDR' })).svc.configFor({
        podNamespace: 'ns',
        podName: 'web',
      }),
    ).rejects.toBeInstanceOf(CoordinatorNotReadyError);
    await expect(
      setup(coordinator()).svc.configFor({ podNamespace: 'ns', podName: 'ghost' }),
    ).rejects.toBeInstanceOf(PodNotFoundError);
    const { cluster, svc } = setup(coordinator());
    cluster.isSynced = false;
    await expect(svc.configFor({ podNamespace: 'ns', podName: 'web' })).rejects.toBeInstanceOf(NotReadyError);
  });
});
