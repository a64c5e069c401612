import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { FINALIZER } from '@spiderpool/crd-types';
import { findWorkspaceRoot, installCrds, kubectl, startControlPlane, stderrLogger, type ControlPlane } from '@spiderpool/testing';
import { pino } from 'pino';
import { KubeObjectClient } from '../api-client/kube-object.client.js';
import type { WireObject } from '../api-client/object-client.port.js';
import { KINDS } from '../api-client/resource-kinds.js';
import { CLEAN_KINDS, UninstallCleaner } from './clean.command.js';

const G = 'spiderpool.spidernet.io/v2beta1';

/** The cleaner deletes CRDs cluster-wide, so it runs against a control plane of its own, not the shared one. */
describe('clean (Helm pre-delete hook) against a real API server', () => {
  let plane: ControlPlane;
  let client: KubeObjectClient;

  beforeAll(async () => {
    // A base dir of its own: the start-up sweep of the default one would stop the int tier's shared plane.
    const baseDir = mkdtempSync(join(tmpdir(), 'spiderpool-clean-planes-'));
    plane = await startControlPlane({ controllers: false, logger: stderrLogger, baseDir });
    await installCrds(plane.kubeconfigPath, findWorkspaceRoot(process.cwd()), stderrLogger);
    const kc = new KubeConfig();
    kc.loadFromFile(plane.kubeconfigPath);
    client = new KubeObjectClient(kc);
  }, 120_000);

  afterAll(async () => {
    await plane?.stop();
  });

  it('removes webhooks, finalizer-held CRs, our CRDs and the init Job; a second run succeeds too', async () => {
    const webhook = { name: 'w.spiderpool.spidernet.io', admissionReviewVersions: ['v1'], sideEffects: 'None', clientConfig: { url: 'https://127.0.0.1:1/x' }, rules: [] };
    await client.create(CLEAN_KINDS.mutating, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'spiderpool-controller' }, webhooks: [webhook] } as unknown as WireObject);
    await client.create(CLEAN_KINDS.validating, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'spiderpool-controller' }, webhooks: [webhook] } as unknown as WireObject);
    await client.create(KINDS.ippool, { apiVersion: G, kind: 'SpiderIPPool', metadata: { name: 'p1', finalizers: [FINALIZER] }, spec: { subnet: '10.9.0.0/24', ips: ['10.9.0.10'] } } as unknown as WireObject);
    await client.create(KINDS.endpoint, { apiVersion: G, kind: 'SpiderEndpoint', metadata: { name: 'e1', namespace: 'default', finalizers: [FINALIZER] } } as unknown as WireObject);
    await client.create(KINDS.job, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'spiderpool-init', namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } } } } as unknown as WireObject);

    const options = { validate: 'spiderpool-controller', mutating: 'spiderpool-controller', initJobName: 'spiderpool-init', namespace: 'default' };
    const report = await new UninstallCleaner(client, pino({ level: 'silent' })).run(options);
    expect(report.errors).toEqual([]);
    expect(await client.get(CLEAN_KINDS.mutating, { name: 'spiderpool-controller' })).toBeUndefined();
    expect(await client.get(CLEAN_KINDS.validating, { name: 'spiderpool-controller' })).toBeUndefined();
    const crds = await client.list<WireObject & { spec?: { group?: string } }>(CLEAN_KINDS.crd);
    // CRD deletion is asynchronous (the server finalises it); none of ours may remain un-terminated.
    expect(crds.filter((c) => c.spec?.group === 'spiderpool.spidernet.io' && !c.metadata.deletionTimestamp)).toEqual([]);
    const job = await client.get(KINDS.job, { namespace: 'default', name: 'spiderpool-init' });
    expect(job === undefined || Boolean(job.metadata.deletionTimestamp)).toBe(true);
    // With the finalizers stripped the CRDs really go away (a finalizer-held CR would keep them Terminating).
    await expect(kubectl(plane.kubeconfigPath, ['wait', '--for=delete', 'crd/spiderippools.spiderpool.spidernet.io', 'crd/spiderendpoints.spiderpool.spidernet.io', '--timeout=30s'])).resolves.toBeDefined();

    const again = await new UninstallCleaner(client, pino({ level: 'silent' })).run(options);
    expect(again.errors).toEqual([]);
  }, 60_000);
});
