import { KubeConfig } from '@kubernetes/client-node';
import { applyManifests, intTierKubeconfig, kubectl, kubectlJson, testNamespace, waitFor } from '@spiderpool/testing';
import { pino } from 'pino';
import { FakeEventPort } from '../multusconfig/event-port.fake.js';
import type { InformerRunnable } from '../multusconfig/informer-runnable.js';
import { NO_KCM_POD_REASON } from './cidr-detection.js';
import { CoordinatorEnvSchema, coordinatorOptions } from './coordinator.config.js';
import { buildCoordinatorRunnable } from './coordinator.module.js';

interface Status {
  phase?: string;
  reason?: string;
  overlayPodCIDR?: string[];
  serviceCIDR?: string[];
}

describe('SpiderCoordinator status detection (real control plane)', () => {
  const kubeconfig = intTierKubeconfig();
  // A unique name: the plane may be shared; the controller maintains only the configured one.
  const name = testNamespace('coord');
  const kcmPod = testNamespace('kube-controller-manager');
  let runnable: InformerRunnable;

  const status = async (): Promise<Status> =>
    (await kubectlJson<{ status?: Status }>(kubeconfig, ['get', 'spidercoordinators', name, '-o', 'json'])).status ?? {};
  const waitStatus = (pred: (s: Status) => boolean, description: string) =>
    waitFor(async () => {
      const s = await status();
      return pred(s) ? s : undefined;
    }, { description, timeoutMs: 30_000 });

  beforeAll(async () => {
    await kubectl(kubeconfig, ['-n', 'kube-system', 'delete', 'configmap', 'kubeadm-config', '--ignore-not-found']);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const options = coordinatorOptions(
      CoordinatorEnvSchema.parse({
        SPIDERPOOL_COORDINATOR_ENABLED: 'true',
        SPIDERPOOL_COORDINATOR_DEFAULT_NAME: name,
        SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: 'cluster',
        SPIDERPOOL_INIT_DEFAULT_COORDINATOR_HIJACK_CIDR: '["169.254.0.0/16"]',
      }),
    );
    runnable = buildCoordinatorRunnable({ kubeConfig: kc, logger: pino({ level: 'silent' }), events: new FakeEventPort(), options });
    await runnable.start();
  });

  afterAll(async () => {
    await runnable?.stop({ drain: false });
    await kubectl(kubeconfig, ['-n', 'kube-system', 'delete', 'configmap', 'kubeadm-config', '--ignore-not-found']);
    await kubectl(kubeconfig, ['-n', 'kube-system', 'delete', 'pod', kcmPod, '--ignore-not-found', '--grace-period=0', '--force']);
    await kubectl(kubeconfig, ['delete', 'spidercoordinators', name, '--ignore-not-found', '--wait=false']);
  });

  it('is created by the controller and NotReady with neither kubeadm-config nor a kube-controller-manager pod', async () => {
    const s = await waitStatus((x) => x.phase === 'NotReady', 'NotReady');
    expect(s).toEqual({ phase: 'NotReady', reason: NO_KCM_POD_REASON, overlayPodCIDR: [], serviceCIDR: [] });
    const spec = (await kubectlJson<{ spec: Record<string, unknown> }>(kubeconfig, ['get', 'spidercoordinators', name, '-o', 'json'])).spec;
    expect(spec).toMatchObject({ mode: 'auto', podCIDRType: 'cluster', hijackCIDR: ['169.254.0.0/16'], tunePodRoutes: true, hostRuleTable: 500 });
  });

  it('falls back to the kube-controller-manager pod flags', async () => {
    // Pod admission needs the namespace's default ServiceAccount, made asynchronously on a fresh plane.
    await waitFor(() => kubectl(kubeconfig, ['-n', 'kube-system', 'get', 'serviceaccount', 'default']), { description: 'kube-system/default SA' });
    await applyManifests(kubeconfig, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: kcmPod, namespace: 'kube-system', labels: { component: 'kube-controller-manager' } },
      spec: {
        containers: [
          {
            name: 'kube-controller-manager',
            image: 'registry.k8s.io/kube-controller-manager:v1.33.0',
            command: ['kube-controller-manager', '--cluster-cidr=10.244.0.0/16', '--service-cluster-ip-range=10.96.0.0/12'],
          },
        ],
      },
    });
    const s = await waitStatus((x) => x.phase === 'Synced', 'Synced from KCM');
    expect(s).toEqual({ phase: 'Synced', overlayPodCIDR: ['10.244.0.0/16'], serviceCIDR: ['10.96.0.0/12'] });
  });

  it('prefers kube-system/kubeadm-config: Synced with the seed 004 CIDRs', async () => {
    await applyManifests(kubeconfig, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
      data: { ClusterConfiguration: 'networking:\n  podSubnet: 10.244.64.0/18\n  serviceSubnet: 10.233.0.0/18\n' },
    });
    const s = await waitStatus((x) => x.serviceCIDR?.[0] === '10.233.0.0/18', 'Synced from kubeadm-config');
    expect(s).toEqual({ phase: 'Synced', overlayPodCIDR: ['10.244.64.0/18'], serviceCIDR: ['10.233.0.0/18'] });
  });
});
