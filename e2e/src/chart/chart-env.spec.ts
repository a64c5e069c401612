// The chart and the apps cannot drift apart: every SPIDERPOOL_* variable a rendered container sets is a key of that
// app's zod env schema (unknown keys would be silently stripped by zod), and the probes hit the ports the apps listen on.
import { APP_ENV_SCHEMAS, appEnvKeys } from './app-env-keys.js';
import { containersOf, helmBinary, renderChart, type KubeObject } from './chart-render.js';

const helm = helmBinary();
const d = helm ? describe : describe.skip;

/** The schema of each container that runs one of our apps, by `<workload kind>/<container name>`. */
const CONTAINER_SCHEMA: Record<string, keyof typeof APP_ENV_SCHEMAS> = {
  'Deployment/spiderpool-controller': 'controller',
  'Job/clean': 'clean',
  'DaemonSet/spiderpool-agent': 'agent',
  'Deployment/spiderpool-webhook': 'webhook',
};

/** Value sets that switch env entries on and off. */
const VARIANTS: Array<[string, string[]]> = [
  ['default values', []],
  ['seed 000 flags', ['ipam.enableStatefulSet=false', 'multus.multusCNI.defaultCniCRName=ipvlan-eth0', 'plugins.installCNI=true']],
  ['IPv6 only, detection on', ['ipam.enableIPv4=false', 'ipam.enableIPConflictDetection=true', 'ipam.enableGatewayDetection=true']],
  ['metrics on', ['spiderpoolController.prometheus.enabled=true', 'spiderpoolAgent.prometheus.enabled=true', 'spiderpoolAgent.prometheus.enabledDebugMetric=true']],
  ['coordinator and multus config off, pod network', ['coordinator.enabled=false', 'multus.enableMultusConfig=false', 'spiderpoolController.hostnetwork=false']],
];

interface Probe {
  httpGet: { path: string; port: number; host?: string; scheme: string };
}
interface ProbedContainer {
  name: string;
  env?: Array<{ name: string; value?: string }>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
}
interface PodSpec {
  hostNetwork?: boolean;
  containers: ProbedContainer[];
}
const podOf = (o: KubeObject): PodSpec => (o as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
const workloads = (objects: KubeObject[]): KubeObject[] => objects.filter((o) => ['Deployment', 'DaemonSet', 'Job'].includes(o.kind));
const probesOf = (c: ProbedContainer): Probe[] => [c.startupProbe, c.livenessProbe, c.readinessProbe].filter((p): p is Probe => p !== undefined);

/** SPIDERPOOL_* variables no schema declares, as `<workload> container <name>: <var>`; `checked` counts app containers. */
function unknownEnv(objects: KubeObject[], schemaKeys: Record<string, Set<string>>): { unknown: string[]; checked: number } {
  const unknown: string[] = [];
  let checked = 0;
  for (const w of workloads(objects)) {
    for (const c of containersOf(w)) {
      const names = (c.env ?? []).map((e) => e.name).filter((n) => n.startsWith('SPIDERPOOL_'));
      const schema = CONTAINER_SCHEMA[`${w.kind}/${c.name}`];
      const where = `${w.kind}/${w.metadata.name} container ${c.name}`;
      if (schema === undefined) {
        if (names.length > 0) unknown.push(`${where}: no schema known for ${names.join(', ')}`);
        continue;
      }
      checked++;
      for (const n of names) if (!schemaKeys[schema]?.has(n)) unknown.push(`${where}: ${n}`);
    }
  }
  return { unknown, checked };
}

describe('app env schema keys (read from the apps’ source)', () => {
  it('resolves spreads and transformed schemas', () => {
    const controller = appEnvKeys(APP_ENV_SCHEMAS.controller);
    expect(controller).toContain('SPIDERPOOL_HEALTH_PORT');
    expect(controller).toContain('SPIDERPOOL_INIT_DEFAULT_COORDINATOR_MODE'); // ...COORDINATOR_ENV_SHAPE
    expect(controller).toContain('SPIDERPOOL_MULTUS_CONFIG_ENABLED'); // ...MULTUSCONFIG_ENV_SHAPE
    expect(appEnvKeys(APP_ENV_SCHEMAS.webhook)).toContain('SPIDERPOOL_WEBHOOK_CERT_DIR'); // z.object(…).transform(…)
    expect(appEnvKeys(APP_ENV_SCHEMAS.agent)).toContain('SPIDERPOOL_NODE_NAME');
    expect([...appEnvKeys(APP_ENV_SCHEMAS.clean)].sort()).toEqual(
      ['SPIDERPOOL_INIT_NAME', 'SPIDERPOOL_KUBECONFIG', 'SPIDERPOOL_LOG_LEVEL', 'SPIDERPOOL_POD_NAMESPACE'],
    );
  });

  it('fails loudly on a schema that is not there', () => {
    expect(() => appEnvKeys({ app: 'agent', file: 'config/schema.ts', name: 'NoSuchSchema' })).toThrow(/no object schema/);
  });
});

d('charts/spiderpool env and probes match the apps', () => {
  const bin = helm ?? '';
  const schemaKeys = Object.fromEntries(Object.entries(APP_ENV_SCHEMAS).map(([k, ref]) => [k, appEnvKeys(ref)]));

  it('the check reports a variable its app does not know, and a SPIDERPOOL_* variable on a container of no app', async () => {
    const objects = await renderChart(bin, [
      'spiderpoolAgent.extraEnv[0].name=SPIDERPOOL_NO_SUCH_KEY',
      'spiderpoolAgent.extraEnv[0].value=x',
      'plugins.installCNI=true',
    ]);
    const ds = objects.find((o) => o.kind === 'DaemonSet');
    const plugins = ds && containersOf(ds).find((c) => c.name === 'install-plugins');
    if (plugins === undefined) throw new Error('no install-plugins container');
    plugins.env = [...(plugins.env ?? []), { name: 'SPIDERPOOL_LOG_LEVEL', value: 'info' }];
    expect(unknownEnv(objects, schemaKeys).unknown).toEqual([
      'DaemonSet/spiderpool-agent container install-plugins: no schema known for SPIDERPOOL_LOG_LEVEL',
      'DaemonSet/spiderpool-agent container spiderpool-agent: SPIDERPOOL_NO_SUCH_KEY',
    ]);
  });

  describe.each(VARIANTS)('%s', (_label, sets) => {
    let objects: KubeObject[];
    beforeAll(async () => {
      objects = await renderChart(bin, sets);
    });

    it('every SPIDERPOOL_* env var of a container is a key of its app’s config schema', () => {
      const { unknown, checked } = unknownEnv(objects, schemaKeys);
      expect(unknown).toEqual([]);
      expect(checked).toBe(Object.keys(CONTAINER_SCHEMA).length);
    });

    it('controller and agent probes hit /v1/runtime/* on SPIDERPOOL_HEALTH_PORT; the webhook probes its HTTPS port', () => {
      for (const w of workloads(objects).filter((o) => o.kind !== 'Job')) {
        const pod = podOf(w);
        const c = pod.containers.find((x) => x.name === w.metadata.name);
        if (c === undefined) throw new Error(`${w.kind}/${w.metadata.name} has no container of its own name`);
        const env = (n: string) => c.env?.find((e) => e.name === n)?.value;
        const probes = probesOf(c);
        expect(probes).toHaveLength(3);
        for (const p of probes) {
          if (w.metadata.name === 'spiderpool-webhook') {
            expect(p.httpGet).toMatchObject({ path: '/webhook-health-check', scheme: 'HTTPS', port: Number(env('SPIDERPOOL_WEBHOOK_PORT')) });
          } else {
            expect(p.httpGet.path).toMatch(/^\/v1\/runtime\/(startup|liveness|readiness)$/);
            expect(p.httpGet.port).toBe(Number(env('SPIDERPOOL_HEALTH_PORT')));
          }
          // A probe `host` is dialled from the node: only meaningful when the pod shares the node's network.
          if (p.httpGet.host !== undefined) expect(pod.hostNetwork).toBe(true);
        }
      }
    });
  });
});
