// The rendered chart is accepted by a real kube-apiserver (`kubectl apply --dry-run=server`), with the CRDs the
// int tier installed from charts/spiderpool/crds.
import { intTierKubeconfig, kubectl, toYamlStream } from '@spiderpool/testing';
import { helmBinary, renderChart } from './chart-render.js';

const helm = helmBinary();
const d = helm ? describe : describe.skip;

d('charts/spiderpool against the apiserver', () => {
  it.each([
    ['default values', []],
    ['seed 000 flags', ['ipam.enableStatefulSet=false', 'multus.multusCNI.defaultCniCRName=ipvlan-eth0', 'plugins.installCNI=true', 'global.imageRegistryOverride=ghcr.m.daocloud.io']],
    ['seed 004 flags + metrics + PDBs', ['multus.multusCNI.defaultCniCRName=macvlan-conf', 'plugins.installCNI=true', 'spiderpoolController.prometheus.enabled=true', 'spiderpoolAgent.prometheus.enabled=true', 'spiderpoolController.podDisruptionBudget.enabled=true', 'spiderpoolWebhook.podDisruptionBudget.enabled=true']],
    ['IPv6 only + detection + controller on the pod network', ['ipam.enableIPv4=false', 'ipam.enableIPConflictDetection=true', 'ipam.enableGatewayDetection=true', 'spiderpoolController.hostnetwork=false']],
  ])('%s: every object passes server-side dry-run', async (_label, sets) => {
    const objects = (await renderChart(helm ?? '', sets as string[])).filter((o) => o.kind !== 'CustomResourceDefinition');
    const out = await kubectl(intTierKubeconfig(), ['apply', '--dry-run=server', '-f', '-'], { input: toYamlStream(objects) });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(objects.length);
    for (const line of lines) expect(line).toMatch(/(created|configured|unchanged) \(server dry run\)$/);
  });
});
