import { TerminalError, type KubeObject, type ObjectKey, type ReconcileContext } from '@spiderpool/k8s-runtime';
import { pino } from 'pino';
import { FakeEventPort } from './event-port.fake.js';
import { NadTerminatingError } from './multusconfig.errors.js';
import { MultusConfigReconciler, SMC_EVENT_REASONS } from './multusconfig.reconciler.js';
import { FakeNadManager } from './nad.manager.fake.js';
import { planNadWrite } from './nad-plan.js';

const EXPECTED_CONFIG =
  '{"cniVersion":"0.3.1","name":"macvlan-conf","plugins":[{"type":"macvlan","master":"eth0","mode":"bridge","mtu":0,"ipam":{"type":"spiderpool"}},' +
  '{"txQueueLen":0,"tunePodRoutes":true,"mode":"auto","type":"coordinator"}]}';

function smcObject(overrides: { annotations?: Record<string, string>; spec?: Record<string, unknown>; deleting?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'spiderpool.spidernet.io/v2beta1',
    kind: 'SpiderMultusConfig',
    metadata: {
      name: 'macvlan-conf',
      namespace: 'kube-system',
      uid: 'uid-smc',
      ...(overrides.annotations ? { annotations: overrides.annotations } : {}),
      ...(overrides.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: overrides.spec ?? { cniType: 'macvlan', macvlan: { master: ['eth0'] } },
  } as KubeObject;
}

class MapLister {
  readonly items = new Map<string, KubeObject>();
  get(key: ObjectKey): KubeObject | undefined {
    return this.items.get(`${key.namespace}/${key.name}`);
  }
  put(obj: KubeObject): void {
    this.items.set(`${obj.metadata?.namespace}/${obj.metadata?.name}`, obj);
  }
}

async function liveNad(nads: FakeNadManager, name = 'macvlan-conf') {
  const nad = await nads.get('kube-system', name);
  if (!nad) throw new Error(`${name} missing`);
  return nad;
}

const KEY = { namespace: 'kube-system', name: 'macvlan-conf' };
const ctx = (): ReconcileContext => ({
  log: pino({ level: 'silent' }),
  reconcileId: 'r1',
  signal: new AbortController().signal,
  retries: 0,
});

function setup() {
  const lister = new MapLister();
  const nads = new FakeNadManager();
  const events = new FakeEventPort();
  return { lister, nads, events, reconciler: new MultusConfigReconciler(lister, nads, events) };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('MultusConfigReconciler', () => {
  it('creates the NAD with the rendered config, the SMC annotations and a controller ownerReference', async () => {
    const { lister, nads, events, reconciler } = setup();
    lister.put(smcObject({ annotations: { team: 'net' } }));
    await reconciler.reconcile(KEY, ctx());
    const nad = await nads.get('kube-system', 'macvlan-conf');
    expect(nad?.spec?.config).toBe(EXPECTED_CONFIG);
    expect(nad?.metadata.annotations).toEqual({ team: 'net' });
    expect(nad?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'spiderpool.spidernet.io/v2beta1',
        kind: 'SpiderMultusConfig',
        name: 'macvlan-conf',
        uid: 'uid-smc',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(events.reasons()).toEqual([SMC_EVENT_REASONS.nadCreated]);
  });

  it('is idempotent: a second reconcile writes nothing', async () => {
    const { lister, nads, reconciler } = setup();
    lister.put(smcObject());
    await reconciler.reconcile(KEY, ctx());
    await reconciler.reconcile(KEY, ctx());
    expect(nads.writes.map((w) => w.verb)).toEqual(['create']);
  });

  it('propagates SMC spec and annotation changes with one update, keeping NAD labels', async () => {
    const { lister, nads, events, reconciler } = setup();
    lister.put(smcObject());
    await reconciler.reconcile(KEY, ctx());
    const live = (await liveNad(nads));
    live.metadata.labels = { keep: 'me' };
    nads.seed(live);
    lister.put(smcObject({ annotations: { 'multus.spidernet.io/cni-version': '1.0.0' }, spec: { cniType: 'macvlan', macvlan: { master: ['eth1'] } } }));
    await reconciler.reconcile(KEY, ctx());
    const nad = (await liveNad(nads));
    expect(nad.spec?.config).toContain('"cniVersion":"1.0.0"');
    expect(nad.spec?.config).toContain('"master":"eth1"');
    expect(nad.metadata.labels).toEqual({ keep: 'me' });
    expect(nad.metadata.annotations).toEqual({ 'multus.spidernet.io/cni-version': '1.0.0' });
    expect(nads.writes.map((w) => w.verb)).toEqual(['create', 'replace']);
    expect(events.reasons()).toContain(SMC_EVENT_REASONS.nadUpdated);
  });

  it('targets the custom-name annotation', async () => {
    const { lister, nads, reconciler } = setup();
    lister.put(smcObject({ annotations: { 'multus.spidernet.io/cr-name': 'custom-nad' } }));
    await reconciler.reconcile(KEY, ctx());
    expect(await nads.get('kube-system', 'custom-nad')).toBeDefined();
    expect(await nads.get('kube-system', 'macvlan-conf')).toBeUndefined();
  });

  it('takes over a pre-existing NAD without an SMC owner, keeping unrelated non-controller owners', async () => {
    const { lister, nads, reconciler } = setup();
    nads.seed({
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: {
        name: 'macvlan-conf',
        namespace: 'kube-system',
        annotations: { stale: 'x' },
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'u-cm' },
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u-d', controller: true },
        ],
      },
      spec: { config: '{}' },
    });
    lister.put(smcObject());
    await reconciler.reconcile(KEY, ctx());
    const nad = (await liveNad(nads));
    expect(nad.spec?.config).toBe(EXPECTED_CONFIG);
    expect(nad.metadata.annotations).toEqual({});
    expect(nad.metadata.ownerReferences?.map((r) => r.kind)).toEqual(['ConfigMap', 'SpiderMultusConfig']);
  });

  it('refuses a NAD controlled by another SMC: Warning Event and TerminalError', async () => {
    const { lister, nads, events, reconciler } = setup();
    nads.seed({
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: {
        name: 'macvlan-conf',
        namespace: 'kube-system',
        ownerReferences: [{ apiVersion: 'spiderpool.spidernet.io/v2beta1', kind: 'SpiderMultusConfig', name: 'other', uid: 'u-o', controller: true }],
      },
      spec: { config: '{}' },
    });
    lister.put(smcObject());
    const err = await rejection(reconciler.reconcile(KEY, ctx()));
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as TerminalError).reason).toBe(SMC_EVENT_REASONS.nadConflict);
    expect(events.events[0]).toMatchObject({ type: 'Warning', reason: SMC_EVENT_REASONS.nadConflict });
    expect(events.events[0]?.regarding).toMatchObject({ kind: 'SpiderMultusConfig', name: 'macvlan-conf', uid: 'uid-smc' });
    expect(nads.writes).toEqual([]);
  });

  it('reports an SMC it cannot render as a Warning Event and TerminalError', async () => {
    const { lister, events, reconciler } = setup();
    lister.put(smcObject({ spec: { cniType: 'macvlan', macvlan: { master: ['a', 'b'] } } }));
    const err = await rejection(reconciler.reconcile(KEY, ctx()));
    expect(err).toBeInstanceOf(TerminalError);
    expect(events.events[0]).toMatchObject({ type: 'Warning', reason: SMC_EVENT_REASONS.invalidSpec });
    expect(events.events[0]?.note).toContain('spec.macvlan.bond');
  });

  it('retries (non-terminal) while the existing NAD is terminating', async () => {
    const { lister, nads, reconciler } = setup();
    nads.seed({
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: { name: 'macvlan-conf', namespace: 'kube-system', deletionTimestamp: '2026-01-01T00:00:00Z' },
    });
    lister.put(smcObject());
    expect(await rejection(reconciler.reconcile(KEY, ctx()))).toBeInstanceOf(NadTerminatingError);
  });

  it('does nothing for a missing or terminating SMC', async () => {
    const { lister, nads, reconciler } = setup();
    await reconciler.reconcile(KEY, ctx());
    lister.put(smcObject({ deleting: true }));
    await reconciler.reconcile(KEY, ctx());
    expect(nads.writes).toEqual([]);
  });
});

describe('planNadWrite', () => {
  const desired = { namespace: 'ns', name: 'n', annotations: {}, config: 'c' };
  const owner = { name: 'n', uid: 'u' };
  const controlled = {
    apiVersion: 'k8s.cni.cncf.io/v1' as const,
    kind: 'NetworkAttachmentDefinition' as const,
    metadata: {
      name: 'n',
      namespace: 'ns',
      ownerReferences: [{ apiVersion: 'spiderpool.spidernet.io/v2beta1', kind: 'SpiderMultusConfig', name: 'n', uid: 'u', controller: true }],
    },
    spec: { config: 'c' },
  };

  it('treats absent and empty annotation maps as equal (no write on every resync)', () => {
    expect(planNadWrite(controlled, desired, owner)).toEqual({ action: 'none' });
  });

  it('reports exactly what changed', () => {
    const plan = planNadWrite({ ...controlled, spec: { config: 'old' } }, { ...desired, annotations: { a: 'b' } }, owner);
    expect(plan.action === 'update' && plan.changed).toEqual(['annotations', 'config']);
  });

  it('writes an empty config explicitly when the NAD has none', () => {
    const plan = planNadWrite({ ...controlled, spec: {} }, { ...desired, config: '' }, owner);
    expect(plan.action === 'update' && plan.nad.spec).toEqual({ config: '' });
  });
});
