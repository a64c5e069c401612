// helm lint / helm template of charts/spiderpool with default values and with each seed guide's `--set` flags.
import { X509Certificate } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { containersOf, envOf, find, helmBinary, lintChart, renderChart, type KubeObject } from './chart-render.js';

const helm = helmBinary();
const d = helm ? describe : describe.skip;

/** The `--set` flags the seed guides pass to `helm install` (shared/seeds/*.txt). */
const SEEDS: Record<string, string[]> = {
  '000 Alibaba Cloud': [
    'ipam.enableStatefulSet=false',
    'multus.multusCNI.defaultCniCRName=ipvlan-eth0',
    'plugins.installCNI=true',
    'global.imageRegistryOverride=ghcr.m.daocloud.io',
  ],
  '001/002 AWS': [
    'ipam.enableStatefulSet=false',
    'multus.multusCNI.defaultCniCRName=ipvlan-ens5',
    'global.imageRegistryOverride=ghcr.m.daocloud.io',
  ],
  '003 network zones': [
    'multus.multusCNI.defaultCniCRName=macvlan-conf',
    'global.imageRegistryOverride=ghcr.m.daocloud.io',
    'plugins.installCNI=true',
  ],
  '004 macvlan quick start': ['multus.multusCNI.defaultCniCRName=macvlan-conf', 'plugins.installCNI=true'],
};

interface Webhook {
  name: string;
  failurePolicy: string;
  clientConfig: { caBundle?: string; service: { namespace: string; name: string; port: number; path: string } };
  rules: Array<{ resources: string[]; operations: string[] }>;
}
const webhooksOf = (o: KubeObject): Webhook[] => (o as unknown as { webhooks: Webhook[] }).webhooks;
const confYml = (objects: KubeObject[]): Record<string, unknown> =>
  parseYaml((find(objects, 'ConfigMap', 'spiderpool-conf') as unknown as { data: Record<string, string> }).data['conf.yml'] ?? '');
interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
const rulesOf = (o: KubeObject): PolicyRule[] => (o as unknown as { rules: PolicyRule[] }).rules;
const allows = (rules: PolicyRule[], group: string, resource: string, verb: string): boolean =>
  rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
const workloads = (objects: KubeObject[]): KubeObject[] =>
  objects.filter((o) => ['Deployment', 'DaemonSet', 'Job'].includes(o.kind));
const allImages = (objects: KubeObject[]): string[] => workloads(objects).flatMap((w) => containersOf(w).map((c) => c.image));

d('charts/spiderpool', () => {
  const bin = helm ?? '';

  it.each([['default values', [] as string[]], ...Object.entries(SEEDS)])('helm lint --strict passes (%s)', async (_label, sets) => {
    const out = await lintChart(bin, sets);
    expect(out).toContain('0 chart(s) failed');
  });

  describe('default values', () => {
    let objects: KubeObject[];
    beforeAll(async () => {
      objects = await renderChart(bin);
    });

    it('renders the components, each once, in the release namespace', () => {
      const names = objects.filter((o) => o.kind !== 'CustomResourceDefinition').map((o) => `${o.kind}/${o.metadata.name}`);
      expect(names.sort()).toEqual(
        [
          'ClusterRole/spiderpool-agent',
          'ClusterRole/spiderpool-controller',
          'ClusterRole/spiderpool-controller-hook-pre-delete',
          'ClusterRole/spiderpool-webhook',
          'ClusterRoleBinding/spiderpool-agent',
          'ClusterRoleBinding/spiderpool-controller',
          'ClusterRoleBinding/spiderpool-controller-hook-pre-delete',
          'ClusterRoleBinding/spiderpool-webhook',
          'ConfigMap/spiderpool-conf',
          'ConfigMap/spiderpool-multus-entrypoint',
          'DaemonSet/spiderpool-agent',
          'Deployment/spiderpool-controller',
          'Deployment/spiderpool-webhook',
          'Job/spiderpool-controller-hook-pre-delete',
          'MutatingWebhookConfiguration/spiderpool-controller',
          'Secret/spiderpool-controller-server-certs',
          'Service/spiderpool-controller',
          'Service/spiderpool-webhook',
          'ServiceAccount/spiderpool-agent',
          'ServiceAccount/spiderpool-controller',
          'ServiceAccount/spiderpool-controller-hook-pre-delete',
          'ServiceAccount/spiderpool-webhook',
          'ValidatingWebhookConfiguration/spiderpool-controller',
        ].sort(),
      );
      for (const o of objects) {
        if (['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind) || o.kind.endsWith('WebhookConfiguration')) continue;
        expect(o.metadata.namespace).toBe('kube-system');
      }
    });

    it('ships the generated CRDs from crds/', () => {
      const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name);
      expect(crds).toEqual(
        expect.arrayContaining([
          'spiderippools.spiderpool.spidernet.io',
          'spidermultusconfigs.spiderpool.spidernet.io',
          'spidercoordinators.spiderpool.spidernet.io',
          'network-attachment-definitions.k8s.cni.cncf.io',
        ]),
      );
    });

    it('conf.yml carries the upstream defaults', () => {
      expect(confYml(objects)).toMatchObject({
        ipamUnixSocketPath: '/var/run/spidernet/spiderpool.sock',
        enableIPv4: true,
        enableIPv6: true,
        enableStatefulSet: true,
        enableKubevirtStaticIP: true,
        enableSpiderSubnet: true,
        enableAutoPoolForApplication: true,
        clusterSubnetAutoPoolDefaultRedundantIPNumber: 1,
        tuneSysctlConfig: true,
      });
    });

    it('registers every webhook with failurePolicy Fail at the upstream path, served by the webhook Service', () => {
      const mutating = webhooksOf(find(objects, 'MutatingWebhookConfiguration', 'spiderpool-controller'));
      const validating = webhooksOf(find(objects, 'ValidatingWebhookConfiguration', 'spiderpool-controller'));
      expect(mutating.map((w) => w.clientConfig.service.path).sort()).toEqual(
        ['spidercoordinator', 'spiderippool', 'spidermultusconfig', 'spiderreservedip', 'spidersubnet'].map(
          (k) => `/mutate-spiderpool-spidernet-io-v2beta1-${k}`,
        ),
      );
      expect(validating.find((w) => w.name === 'spiderippool.spiderpool.spidernet.io')?.rules[0]?.operations).toEqual(['CREATE', 'UPDATE', 'DELETE']);
      for (const w of [...mutating, ...validating]) {
        expect(w.failurePolicy).toBe('Fail');
        expect(w.clientConfig.service).toMatchObject({ namespace: 'kube-system', name: 'spiderpool-webhook', port: 5722 });
      }
      const svc = find(objects, 'Service', 'spiderpool-webhook') as unknown as { spec: { selector: Record<string, string>; ports: Array<{ port: number }> } };
      expect(svc.spec.selector['app.kubernetes.io/component']).toBe('webhook');
      expect(svc.spec.ports[0]?.port).toBe(5722);
    });

    it('tls auto: one generated CA is the caBundle of every webhook and signs a certificate for the webhook Service', () => {
      const secret = find(objects, 'Secret', 'spiderpool-controller-server-certs') as unknown as { type: string; data: Record<string, string> };
      expect(secret.type).toBe('kubernetes.io/tls');
      const caB64 = secret.data['ca.crt'] ?? '';
      const webhooks = [
        ...webhooksOf(find(objects, 'MutatingWebhookConfiguration', 'spiderpool-controller')),
        ...webhooksOf(find(objects, 'ValidatingWebhookConfiguration', 'spiderpool-controller')),
      ];
      expect(new Set(webhooks.map((w) => w.clientConfig.caBundle))).toEqual(new Set([caB64]));
      const ca = new X509Certificate(Buffer.from(caB64, 'base64'));
      const cert = new X509Certificate(Buffer.from(secret.data['tls.crt'] ?? '', 'base64'));
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.subjectAltName).toContain('DNS:spiderpool-webhook.kube-system.svc');
      expect(cert.subjectAltName).toContain('DNS:spiderpool-webhook.kube-system.svc.cluster.local');
    });

    it('the webhook pods mount the TLS Secret as a directory and are told where it is', () => {
      const dep = find(objects, 'Deployment', 'spiderpool-webhook');
      expect(envOf(dep, 'spiderpool-webhook', 'SPIDERPOOL_WEBHOOK_CERT_DIR')).toBe('/etc/tls');
      expect(envOf(dep, 'spiderpool-webhook', 'SPIDERPOOL_WEBHOOK_PORT')).toBe('5722');
      const pod = (dep as unknown as { spec: { template: { spec: { volumes: Array<{ name: string; secret?: { secretName: string } }>; containers: Array<{ volumeMounts: Array<{ name: string; mountPath: string; subPath?: string }> }> } } } }).spec.template.spec;
      expect(pod.volumes.find((v) => v.name === 'tls')?.secret?.secretName).toBe('spiderpool-controller-server-certs');
      const mount = pod.containers[0]?.volumeMounts.find((m) => m.name === 'tls');
      expect(mount).toMatchObject({ mountPath: '/etc/tls' });
      expect(mount?.subPath).toBeUndefined();
    });

    it('the controller creates the default SpiderCoordinator from the coordinator.* values (no init Job)', () => {
      const ctrl = find(objects, 'Deployment', 'spiderpool-controller');
      expect(envOf(ctrl, 'spiderpool-controller', 'SPIDERPOOL_COORDINATOR_ENABLED')).toBe('true');
      expect(envOf(ctrl, 'spiderpool-controller', 'SPIDERPOOL_COORDINATOR_DEFAULT_NAME')).toBe('default');
      expect(envOf(ctrl, 'spiderpool-controller', 'SPIDERPOOL_INIT_DEFAULT_COORDINATOR_HIJACK_CIDR')).toBe('["169.254.0.0/16"]');
      expect(envOf(ctrl, 'spiderpool-controller', 'SPIDERPOOL_INIT_DEFAULT_COORDINATOR_VETH_MTU')).toBe('1500');
      expect(objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.annotations?.['helm.sh/hook'])).toEqual(['pre-delete']);
    });

    it('a pre-delete hook Job runs `clean` against both webhook configurations with its own short-lived RBAC', () => {
      const name = 'spiderpool-controller-hook-pre-delete';
      const job = find(objects, 'Job', name) as KubeObject & {
        spec: { template: { spec: { serviceAccountName: string; restartPolicy: string; containers: Array<{ image: string; command: string[]; env: Array<{ name: string; value?: string; valueFrom?: unknown }> }> } } };
      };
      const pod = job.spec.template.spec;
      expect(pod.serviceAccountName).toBe(name);
      expect(pod.restartPolicy).toBe('Never');
      const [c] = pod.containers;
      expect(c?.image).toBe('ghcr.io/spidernet-io/spiderpool/spiderpool-controller:v1.2.1');
      expect(c?.command).toEqual(['node', '/opt/spiderpool/main.mjs', 'clean', '--validate', 'spiderpool-controller', '--mutating', 'spiderpool-controller']);
      expect(c?.env.find((e) => e.name === 'SPIDERPOOL_INIT_NAME')?.value).toBe('spiderpool-init');
      expect(c?.env.find((e) => e.name === 'SPIDERPOOL_POD_NAMESPACE')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.namespace' } });
      // The webhook configurations it deletes are the ones the chart renders.
      find(objects, 'MutatingWebhookConfiguration', 'spiderpool-controller');
      find(objects, 'ValidatingWebhookConfiguration', 'spiderpool-controller');
      for (const kind of ['Job', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']) {
        const a = find(objects, kind, name).metadata.annotations ?? {};
        expect(a['helm.sh/hook']).toBe('pre-delete');
        expect(a['helm.sh/hook-delete-policy']).toBe('before-hook-creation,hook-succeeded');
      }
      // RBAC objects first (lower weight), then the Job.
      expect(Number(find(objects, 'ClusterRole', name).metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
        Number(job.metadata.annotations?.['helm.sh/hook-weight']),
      );
      const rules = rulesOf(find(objects, 'ClusterRole', name));
      expect(allows(rules, 'admissionregistration.k8s.io', 'validatingwebhookconfigurations', 'delete')).toBe(true);
      expect(allows(rules, 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations', 'delete')).toBe(true);
      expect(allows(rules, 'apiextensions.k8s.io', 'customresourcedefinitions', 'delete')).toBe(true);
      expect(allows(rules, 'batch', 'jobs', 'delete')).toBe(true);
      for (const r of ['spiderippools', 'spidersubnets', 'spiderendpoints', 'spiderreservedips', 'spidermultusconfigs', 'spidercoordinators']) {
        for (const verb of ['list', 'update', 'patch', 'delete']) expect(allows(rules, 'spiderpool.spidernet.io', r, verb)).toBe(true);
      }
      const binding = find(objects, 'ClusterRoleBinding', name) as unknown as { roleRef: { name: string }; subjects: Array<{ name: string; namespace: string }> };
      expect(binding.roleRef.name).toBe(name);
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name, namespace: 'kube-system' }]);
    });

    it('the agent may GET the KubeVirt owners and watch SpiderCoordinators, and no more of KubeVirt', () => {
      const rules = rulesOf(find(objects, 'ClusterRole', 'spiderpool-agent'));
      for (const r of ['virtualmachineinstances', 'virtualmachines', 'virtualmachineinstancemigrations']) {
        expect(allows(rules, 'kubevirt.io', r, 'get')).toBe(true);
        expect(allows(rules, 'kubevirt.io', r, 'list')).toBe(false);
      }
      for (const verb of ['get', 'list', 'watch']) expect(allows(rules, 'spiderpool.spidernet.io', 'spidercoordinators', verb)).toBe(true);
      expect(allows(rules, 'spiderpool.spidernet.io', 'spiderippools/status', 'update')).toBe(true);
      expect(allows(rules, 'spiderpool.spidernet.io', 'spiderendpoints', 'create')).toBe(true);
    });

    it('with detection off there is no host-tools check', () => {
      const names = containersOf(find(objects, 'DaemonSet', 'spiderpool-agent')).map((c) => c.name);
      expect(names).not.toContain('check-detection-tools');
    });

    it('the agent installs spiderpool, coordinator and ifacer, and Multus, but not the standard plugins', () => {
      const ds = find(objects, 'DaemonSet', 'spiderpool-agent');
      const names = containersOf(ds).map((c) => c.name);
      expect(names).toEqual(['install-multus-binary', 'install-cni', 'spiderpool-agent', 'multus-cni']);
      const install = containersOf(ds).find((c) => c.name === 'install-cni');
      expect(install?.command?.slice(-5)).toEqual(['/usr/bin', '/host/opt/cni/bin', 'spiderpool', 'coordinator', 'ifacer']);
      expect(envOf(ds, 'spiderpool-agent', 'MULTUS_CLUSTER_NETWORK')).toBeUndefined();
    });

    it('every image comes from ghcr.io', () => {
      for (const image of allImages(objects)) expect(image).toMatch(/^ghcr\.io\//);
    });

    it('creates no NetworkAttachmentDefinition', () => {
      expect(objects.some((o) => o.kind === 'NetworkAttachmentDefinition')).toBe(false);
    });
  });

  describe.each(Object.entries(SEEDS))('seed %s flags', (_label, sets) => {
    let objects: KubeObject[];
    const flag = (key: string) => sets.find((s) => s.startsWith(`${key}=`))?.slice(key.length + 1);
    beforeAll(async () => {
      objects = await renderChart(bin, sets);
    });

    it('ipam.enableStatefulSet lands in conf.yml', () => {
      expect(confYml(objects)['enableStatefulSet']).toBe(flag('ipam.enableStatefulSet') !== 'false');
    });

    it('multus.multusCNI.defaultCniCRName creates an empty NAD and becomes Multus clusterNetwork', () => {
      const name = flag('multus.multusCNI.defaultCniCRName') ?? '';
      const nad = find(objects, 'NetworkAttachmentDefinition', name) as unknown as { metadata: { namespace: string }; spec: { config: string } };
      expect(nad.metadata.namespace).toBe('kube-system');
      expect(nad.spec.config).toBe('');
      const cm = find(objects, 'ConfigMap', 'spiderpool-conf') as unknown as { data: Record<string, string> };
      expect(cm.data['clusterNetwork']).toBe(name);
      expect(envOf(find(objects, 'DaemonSet', 'spiderpool-agent'), 'spiderpool-agent', 'MULTUS_CLUSTER_NETWORK')).toBe(`kube-system/${name}`);
    });

    it('plugins.installCNI toggles the standard plugin installer', () => {
      const names = containersOf(find(objects, 'DaemonSet', 'spiderpool-agent')).map((c) => c.name);
      expect(names.includes('install-plugins')).toBe(flag('plugins.installCNI') === 'true');
    });

    it('global.imageRegistryOverride rewrites every image', () => {
      const registry = flag('global.imageRegistryOverride') ?? 'ghcr.io';
      const images = allImages(objects);
      expect(images.length).toBeGreaterThanOrEqual(6);
      for (const image of images) expect(image.startsWith(`${registry}/`)).toBe(true);
    });
  });

  describe('other values', () => {
    it('coordinator.enabled=false and multus.enableMultusConfig=false drop their webhooks and switch the apps off', async () => {
      const objects = await renderChart(bin, ['coordinator.enabled=false', 'multus.enableMultusConfig=false']);
      const names = webhooksOf(find(objects, 'MutatingWebhookConfiguration', 'spiderpool-controller')).map((w) => w.name);
      expect(names).not.toContain('spidercoordinator.spiderpool.spidernet.io');
      expect(names).not.toContain('spidermultusconfig.spiderpool.spidernet.io');
      expect(names).toContain('spiderippool.spiderpool.spidernet.io');
      expect(envOf(find(objects, 'Deployment', 'spiderpool-webhook'), 'spiderpool-webhook', 'SPIDERPOOL_COORDINATOR_ENABLED')).toBe('false');
      expect(envOf(find(objects, 'Deployment', 'spiderpool-controller'), 'spiderpool-controller', 'SPIDERPOOL_MULTUS_CONFIG_ENABLED')).toBe('false');
    });

    it('ipam.spiderSubnet.enable=false turns auto pools off in conf.yml and zeroes the redundant IP number', async () => {
      const objects = await renderChart(bin, ['ipam.spiderSubnet.enable=false']);
      expect(confYml(objects)).toMatchObject({ enableSpiderSubnet: false, clusterSubnetAutoPoolDefaultRedundantIPNumber: 0 });
    });

    it('tls provided: the given CA is the caBundle; a missing value fails the render', async () => {
      const ca = Buffer.from('-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n').toString('base64');
      const objects = await renderChart(bin, [
        'spiderpoolController.tls.method=provided',
        `spiderpoolController.tls.provided.tlsCa=${ca}`,
        'spiderpoolController.tls.provided.tlsCert=Y2VydA==',
        'spiderpoolController.tls.provided.tlsKey=a2V5',
      ]);
      for (const w of webhooksOf(find(objects, 'ValidatingWebhookConfiguration', 'spiderpool-controller'))) {
        expect(w.clientConfig.caBundle).toBe(ca);
      }
      await expect(renderChart(bin, ['spiderpoolController.tls.method=provided'])).rejects.toThrow(/tlsCa is required/);
    });

    it('tls certmanager: a Certificate and CA injection instead of a Secret', async () => {
      const objects = await renderChart(bin, ['spiderpoolController.tls.method=certmanager', 'spiderpoolController.tls.certmanager.issuerName=my-issuer']);
      expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
      find(objects, 'Certificate', 'spiderpool-controller-server-certs');
      const mutating = find(objects, 'MutatingWebhookConfiguration', 'spiderpool-controller');
      expect(mutating.metadata.annotations?.['cert-manager.io/inject-ca-from']).toBe('kube-system/spiderpool-controller-server-certs');
      expect(webhooksOf(mutating).every((w) => w.clientConfig.caBundle === undefined)).toBe(true);
    });

    it('coordinator.name reaches the controller (creates it) and the agent (serves it to the CNI)', async () => {
      const objects = await renderChart(bin, ['coordinator.name=custom']);
      expect(envOf(find(objects, 'Deployment', 'spiderpool-controller'), 'spiderpool-controller', 'SPIDERPOOL_COORDINATOR_DEFAULT_NAME')).toBe('custom');
      expect(envOf(find(objects, 'DaemonSet', 'spiderpool-agent'), 'spiderpool-agent', 'SPIDERPOOL_COORDINATOR_DEFAULT_NAME')).toBe('custom');
    });

    it('spiderpoolController.cleanup.enable=false drops the pre-delete hook', async () => {
      const objects = await renderChart(bin, ['spiderpoolController.cleanup.enable=false']);
      expect(objects.filter((o) => o.metadata.name.endsWith('-hook-pre-delete'))).toEqual([]);
    });

    it.each([
      ['dual stack', [] as string[], ['arping', 'ndisc6']],
      ['IPv4 only', ['ipam.enableIPv6=false'], ['arping']],
      ['IPv6 only', ['ipam.enableIPv4=false'], ['ndisc6']],
    ])('detection on (%s): the agent first checks the host for the probe tools', async (_label, sets, tools) => {
      for (const flag of ['ipam.enableIPConflictDetection=true', 'ipam.enableGatewayDetection=true']) {
        const ds = find(await renderChart(bin, [flag, ...sets]), 'DaemonSet', 'spiderpool-agent');
        const inits = containersOf(ds);
        expect(inits[0]?.name).toBe('check-detection-tools');
        expect(inits[0]?.command?.slice(-1 - tools.length)).toEqual(['/host', ...tools]);
        const pod = (ds as unknown as { spec: { template: { spec: { volumes: Array<{ name: string; hostPath?: { path: string } }> } } } }).spec.template.spec;
        expect(pod.volumes.find((v) => v.name === 'host-usr')?.hostPath?.path).toBe('/usr');
      }
    });

    it('an IPv6-only install probes ::1 and the servers listen on ::', async () => {
      const objects = await renderChart(bin, ['ipam.enableIPv4=false']);
      const ds = find(objects, 'DaemonSet', 'spiderpool-agent') as unknown as {
        spec: { template: { spec: { containers: Array<{ livenessProbe: { httpGet: { host: string } } }> } } };
      };
      expect(ds.spec.template.spec.containers[0]?.livenessProbe.httpGet.host).toBe('::1');
      expect(envOf(find(objects, 'DaemonSet', 'spiderpool-agent'), 'spiderpool-agent', 'SPIDERPOOL_HTTP_HOST')).toBe('::');
      expect(envOf(find(objects, 'Deployment', 'spiderpool-webhook'), 'spiderpool-webhook', 'SPIDERPOOL_WEBHOOK_HOST')).toBe('::');
    });

    it('metrics flags add the metrics ports, Services and ServiceMonitors', async () => {
      const objects = await renderChart(bin, [
        'spiderpoolAgent.prometheus.enabled=true',
        'spiderpoolAgent.prometheus.serviceMonitor.install=true',
        'spiderpoolController.prometheus.enabled=true',
        'spiderpoolController.prometheus.serviceMonitor.install=true',
      ]);
      find(objects, 'Service', 'spiderpool-agent');
      find(objects, 'ServiceMonitor', 'spiderpool-agent');
      find(objects, 'ServiceMonitor', 'spiderpool-controller');
      const svc = find(objects, 'Service', 'spiderpool-controller') as unknown as { spec: { ports: Array<{ name: string; port: number }> } };
      expect(svc.spec.ports).toContainEqual(expect.objectContaining({ name: 'metrics', port: 5721 }));
      expect(envOf(find(objects, 'DaemonSet', 'spiderpool-agent'), 'spiderpool-agent', 'SPIDERPOOL_ENABLED_METRIC')).toBe('true');
    });
  });
});
