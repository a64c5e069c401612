import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultScenario, SEED_FIXTURES_DIR } from '@spiderpool/local-cluster';
import { localClusterSkip, workspaceRoot } from '../support/local-cluster.gate.js';
import { harnessCluster, journey } from '../support/journey.js';

const d = localClusterSkip() ? describe.skip : describe;

const fixturesDir = join(workspaceRoot, SEED_FIXTURES_DIR);
const crdDir = join(workspaceRoot, 'charts', 'spiderpool', 'crds');

/** The shell variables the seed guides set before their `cat <<EOF | kubectl apply -f -` blocks. */
const SEED_SHELL_VARS: Record<string, string> = {
  IPVLAN_MASTER_INTERFACE0: 'eth0',
  IPVLAN_MASTER_INTERFACE1: 'eth1',
  IPVLAN_MASTER_INTERFACE: 'ens5',
  IPVLAN_MULTUS_NAME0: 'ipvlan-eth0',
  IPVLAN_MULTUS_NAME1: 'ipvlan-eth1',
  IPVLAN_MULTUS_NAME: 'ipvlan-ens5',
  MACVLAN_MASTER_INTERFACE: 'eth0',
  MACVLAN_MULTUS_NAME: 'macvlan-conf',
};

/** What the guide's heredoc does: expand `${VAR}`; the manifest is otherwise unchanged. */
function expandShellVars(text: string): string {
  return text.replace(/\$\{([A-Z_0-9]+)\}/g, (whole, name: string) => SEED_SHELL_VARS[name] ?? whole);
}

const fixtures = readdirSync(fixturesDir)
  .filter((f) => /^\d{3}-\d+\.yaml$/.test(f))
  .sort();

d('CRDs: the generated CRDs install and every seed object applies unchanged (no webhooks installed)', () => {
  const j = journey('seed CRDs', harnessCluster(defaultScenario(1)));

  it('installs every generated CRD and the NetworkAttachmentDefinition CRD', async () => {
    const generated = readdirSync(crdDir).filter((f) => /\.ya?ml$/.test(f));
    expect(generated.length).toBeGreaterThanOrEqual(6);
    const installed = (await j.kubectl(['get', 'crd', '-o', 'name'])).split('\n');
    for (const file of generated) {
      const name = /^\s*name:\s*(\S+)/m.exec(readFileSync(join(crdDir, file), 'utf8'))?.[1];
      expect(installed).toContain(`customresourcedefinition.apiextensions.k8s.io/${name}`);
    }
    expect(installed).toContain(
      'customresourcedefinition.apiextensions.k8s.io/network-attachment-definitions.k8s.cni.cncf.io',
    );
  });

  it.each(fixtures)('applies %s with kubectl apply -f', async (file) => {
    const manifest = expandShellVars(readFileSync(join(fixturesDir, file), 'utf8'));
    const out = await j.kubectl(['apply', '-f', '-'], { input: manifest });
    expect(out).toMatch(/(created|configured|unchanged)/);
  });

  it('prints the seed columns for `kubectl get spiderippool` and answers to `kubectl get sp`', async () => {
    const header = (await j.kubectl(['get', 'spiderippool'])).split('\n')[0] ?? '';
    expect(header.trim().split(/\s+/).slice(0, 6)).toEqual([
      'NAME',
      'VERSION',
      'SUBNET',
      'ALLOCATED-IP-COUNT',
      'TOTAL-IP-COUNT',
      'DEFAULT',
    ]);
    // VERSION (spec.ipVersion) and the counts are filled in by the mutating webhook and the controller, neither of
    // which runs here; the pools themselves must list with their subnet.
    const sp = await j.kubectl(['get', 'sp', '--no-headers']);
    expect(sp).toMatch(/^test-ippool-6\s+10\.6\.0\.0\/16\s/m);
    expect(sp).toMatch(/^ippool-test\s+172\.18\.0\.0\/16\s/m);
  });
});
