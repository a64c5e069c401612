import { parseControllerConfig } from './schema.js';

const base = { SPIDERPOOL_POD_NAMESPACE: 'kube-system', SPIDERPOOL_POD_NAME: 'ctrl-0' };

describe('parseControllerConfig', () => {
  it('applies the upstream defaults', () => {
    const r = parseControllerConfig(base, '');
    if (!r.ok) throw new Error(r.issues.join());
    expect(r.config.leader).toEqual({
      leaseName: 'spiderpool-controller-leases',
      timing: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, retryGapMs: 1_000 },
    });
    expect(r.config.gc).toMatchObject({ enabled: true, scanIntervalMs: 600_000, traceIntervalMs: 5_000, workers: 3 });
    expect(r.config.http).toEqual({ healthPort: 5720, metricPort: 5721, webhookPort: 5722 });
    expect(r.config.ipam.defaultRedundantIPNumber).toBe(0);
  });

  it('accepts Go ParseBool spellings and rejects anything else', () => {
    const ok = parseControllerConfig({ ...base, SPIDERPOOL_GC_IP_ENABLED: 'F', SPIDERPOOL_ENABLED_METRIC: 'T' }, '');
    expect(ok.ok && ok.config.gc.enabled).toBe(false);
    expect(ok.ok && ok.config.metrics.enabled).toBe(true);
    expect(parseControllerConfig({ ...base, SPIDERPOOL_GC_IP_ENABLED: 'yes' }, '').ok).toBe(false);
  });

  it('requires the pod identity used for the Lease', () => {
    const r = parseControllerConfig({ SPIDERPOOL_POD_NAME: 'x' }, '');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.join()).toContain('SPIDERPOOL_POD_NAMESPACE');
  });

  it('accepts both spellings of the coordinator default-name variable, the correct one winning', () => {
    const r = parseControllerConfig({ ...base, SPIDERPOOL_COORDINATOR_DEAFULT_NAME: 'old', SPIDERPOOL_COORDINATOR_DEFAULT_NAME: 'new' }, '');
    expect(r.ok && r.config.coordinator.name).toBe('new');
    const misspelt = parseControllerConfig({ ...base, SPIDERPOOL_COORDINATOR_DEAFULT_NAME: 'old' }, '');
    expect(misspelt.ok && misspelt.config.coordinator.name).toBe('old');
  });

  it('reads conf.yml, falling back to the key the chart writes for the default redundancy', () => {
    const r = parseControllerConfig(base, 'enableIPv4: true\nenableSpiderSubnet: true\nclusterSubnetDefaultFlexibleIPNumber: 1\nunknownKey: 3\n');
    expect(r.ok && r.config.ipam).toMatchObject({ enableIPv4: true, enableSpiderSubnet: true, defaultRedundantIPNumber: 1 });
    expect(parseControllerConfig(base, 'enableIPv4: [').ok).toBe(false);
  });
});
