import { FINALIZER } from '@spiderpool/crd-types';
import { pino } from 'pino';
import { FakeObjectClient } from '../api-client/object-client.fake.js';
import type { WireObject } from '../api-client/object-client.port.js';
import { KINDS } from '../api-client/resource-kinds.js';
import { CLEAN_KINDS, UninstallCleaner } from './clean.command.js';

const obj = (name: string, extra: Partial<WireObject['metadata']> = {}, spec: Record<string, unknown> = {}) =>
  ({ metadata: { name, ...extra }, spec }) as unknown as WireObject;

function cluster(): FakeObjectClient {
  const c = new FakeObjectClient();
  c.seed(CLEAN_KINDS.mutating, obj('spiderpool-controller'));
  c.seed(CLEAN_KINDS.validating, obj('spiderpool-controller'));
  c.seed(CLEAN_KINDS.validating, obj('someone-else'));
  c.seed(KINDS.ippool, obj('pool-a', { finalizers: [FINALIZER] }));
  c.seed(KINDS.endpoint, obj('web', { namespace: 'ns1', finalizers: [FINALIZER] }));
  c.seed(KINDS.subnet, obj('sub'));
  c.seed(CLEAN_KINDS.coordinator, obj('default', { finalizers: [FINALIZER] }));
  c.seed(CLEAN_KINDS.crd, obj('spiderippools.spiderpool.spidernet.io', {}, { group: 'spiderpool.spidernet.io' }));
  c.seed(CLEAN_KINDS.crd, obj('sriovnetworks.sriovnetwork.openshift.io', {}, { group: 'sriovnetwork.openshift.io' }));
  c.seed(CLEAN_KINDS.crd, obj('sriovoperatorconfigs.sriovnetwork.openshift.io', {}, { group: 'sriovnetwork.openshift.io' }));
  c.seed(CLEAN_KINDS.crd, obj('network-attachment-definitions.k8s.cni.cncf.io', {}, { group: 'k8s.cni.cncf.io' }));
  c.seed(KINDS.job, obj('spiderpool-init', { namespace: 'kube-system' }));
  return c;
}

const options = { validate: 'spiderpool-controller', mutating: 'spiderpool-controller', initJobName: 'spiderpool-init', namespace: 'kube-system' };
const names = (c: FakeObjectClient, kind: Parameters<FakeObjectClient['all']>[0]) => c.all(kind).map((o) => o.metadata.name);

describe('UninstallCleaner (controller-and-chart.md §3.7)', () => {
  it('deletes our webhooks, strips finalizers so our CRs really go, deletes our CRDs and the init Job; idempotent', async () => {
    const c = cluster();
    const report = await new UninstallCleaner(c, pino({ level: 'silent' })).run(options);
    expect(report.errors).toEqual([]);
    expect(names(c, CLEAN_KINDS.mutating)).toEqual([]);
    expect(names(c, CLEAN_KINDS.validating)).toEqual(['someone-else']);
    expect(c.all(KINDS.ippool)).toEqual([]);
    expect(c.all(KINDS.endpoint)).toEqual([]);
    expect(c.all(KINDS.subnet)).toEqual([]);
    expect(c.all(CLEAN_KINDS.coordinator)).toEqual([]);
    expect(names(c, CLEAN_KINDS.crd).sort()).toEqual([
      'network-attachment-definitions.k8s.cni.cncf.io',
      'sriovoperatorconfigs.sriovnetwork.openshift.io',
    ]);
    expect(c.all(KINDS.job)).toEqual([]);
    // The webhooks go before the first CR is touched.
    const order = report.deleted;
    expect(order.indexOf('ValidatingWebhookConfiguration spiderpool-controller')).toBeLessThan(order.indexOf('SpiderIPPool pool-a'));
    expect(order.indexOf('SpiderIPPool pool-a')).toBeLessThan(order.indexOf('SpiderEndpoint ns1/web'));

    const again = await new UninstallCleaner(c, pino({ level: 'silent' })).run(options);
    expect(again.errors).toEqual([]);
  });

  it('reports a failure (non-zero exit) when the init Job cannot be named, after doing everything else', async () => {
    const c = cluster();
    const report = await new UninstallCleaner(c, pino({ level: 'silent' })).run({ validate: 'v', mutating: 'm' });
    expect(report.errors).toHaveLength(1);
    expect(c.all(KINDS.ippool)).toEqual([]);
  });
});
