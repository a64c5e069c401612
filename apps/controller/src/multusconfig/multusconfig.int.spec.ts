import { KubeConfig } from '@kubernetes/client-node';
import { applyManifests, intTierKubeconfig, kubectl, kubectlJson, testNamespace, waitFor } from '@spiderpool/testing';
import { pino } from 'pino';
import { FakeEventPort } from './event-port.fake.js';
import { buildMultusConfigRunnable } from './multusconfig.module.js';
import type { InformerRunnable } from './informer-runnable.js';

interface Nad {
  metadata: { ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }>; annotations?: Record<string, string> };
  spec?: { config?: string };
}

const EXPECTED =
  '{"cniVersion":"0.3.1","name":"macvlan-conf","plugins":[{"type":"macvlan","master":"eth0","mode":"bridge","mtu":0,"ipam":{"type":"spiderpool"}},' +
  '{"txQueueLen":0,"tunePodRoutes":true,"mode":"auto","type":"coordinator"}]}';

describe('SpiderMultusConfig → NetworkAttachmentDefinition (real control plane)', () => {
  const kubeconfig = intTierKubeconfig();
  const ns = testNamespace('smc-int');
  const events = new FakeEventPort();
  let runnable: InformerRunnable;

  const getNad = (name: string) => kubectlJson<Nad>(kubeconfig, ['-n', ns, 'get', 'network-attachment-definitions', name, '-o', 'json']);

  beforeAll(async () => {
    await kubectl(kubeconfig, ['create', 'namespace', ns]);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    runnable = buildMultusConfigRunnable({
      kubeConfig: kc,
      logger: pino({ level: 'silent' }),
      events,
      options: { enabled: true, resyncPeriodMs: 0 },
    });
    await runnable.start();
  });

  afterAll(async () => {
    await runnable?.stop({ drain: false });
    await kubectl(kubeconfig, ['delete', 'namespace', ns, '--wait=false']);
  });

  it('creates the exact NAD (seed 004 SMC), follows updates, repairs a deleted NAD and is GC-ed with the SMC', async () => {
    // Seed 004's SpiderMultusConfig, unchanged apart from the namespace.
    await applyManifests(kubeconfig, {
      apiVersion: 'spiderpool.spidernet.io/v2beta1',
      kind: 'SpiderMultusConfig',
      metadata: { name: 'macvlan-conf', namespace: ns },
      spec: { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
    });
    const nad = await waitFor(() => getNad('macvlan-conf'), { description: 'NAD created' });
    expect(nad.spec?.config).toBe(EXPECTED);
    expect(nad.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'SpiderMultusConfig', name: 'macvlan-conf', controller: true, blockOwnerDeletion: true }),
    ]);

    await kubectl(kubeconfig, ['-n', ns, 'patch', 'spidermultusconfigs', 'macvlan-conf', '--type=merge', '-p', '{"spec":{"macvlan":{"master":["eth1"],"vlanID":100}}}']);
    const updated = await waitFor(async () => ((await getNad('macvlan-conf')).spec?.config?.includes('eth1.100') ? getNad('macvlan-conf') : undefined), {
      description: 'NAD updated',
    });
    expect(JSON.parse(updated.spec?.config ?? '{}').plugins[0]).toEqual({ vlanID: 100, type: 'ifacer', interfaces: ['eth1'] });

    await kubectl(kubeconfig, ['-n', ns, 'delete', 'network-attachment-definitions', 'macvlan-conf', '--wait=true']);
    await waitFor(() => getNad('macvlan-conf'), { description: 'NAD recreated' });

    await kubectl(kubeconfig, ['-n', ns, 'delete', 'spidermultusconfigs', 'macvlan-conf']);
    await waitFor(
      async () => {
        const out = await kubectl(kubeconfig, ['-n', ns, 'get', 'network-attachment-definitions', '-o', 'name']);
        return out.trim() === '';
      },
      { description: 'NAD garbage-collected', timeoutMs: 45_000 },
    );
  });
});
