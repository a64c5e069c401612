import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@spiderpool/testing';
import { chartControllerEnv, spiderpoolArtifacts, spiderpoolPreset } from './spiderpool-components.js';

const root = findWorkspaceRoot(process.cwd());

describe('the controller of the local cluster mirrors the chart', () => {
  const env = chartControllerEnv({ podCIDRType: 'cluster', cniConfigDir: '/x' });

  it('sets only variables the chart sets on the controller Deployment', () => {
    const template = readFileSync(
      join(root, 'charts', 'spiderpool', 'templates', 'controller-deployment.yaml'),
      'utf8',
    );
    for (const name of Object.keys(env)) expect(template).toContain(`- name: ${name}\n`);
  });

  it('enables SpiderMultusConfig and SpiderCoordinator as the chart does by default', () => {
    const values = readFileSync(join(root, 'charts', 'spiderpool', 'values.yaml'), 'utf8');
    expect(values).toMatch(/^multus:\n(?:\s.*\n)*?\s+enableMultusConfig: true$/m);
    expect(values).toMatch(/^coordinator:\n(?:\s.*\n)*?\s+enabled: true$/m);
    expect(env).toMatchObject({ SPIDERPOOL_MULTUS_CONFIG_ENABLED: 'true', SPIDERPOOL_COORDINATOR_ENABLED: 'true' });
  });

  it('passes the env to every controller replica, with a run-private CNI config dir', () => {
    const preset = spiderpoolPreset({ workspaceRoot: root, artifacts: spiderpoolArtifacts(root), controllerReplicas: 2 });
    const controllers = preset.components.filter((c) => c.name.startsWith('controller-'));
    expect(controllers).toHaveLength(2);
    for (const c of controllers) {
      expect(c.env).toMatchObject({
        SPIDERPOOL_MULTUS_CONFIG_ENABLED: 'true',
        SPIDERPOOL_COORDINATOR_ENABLED: 'true',
        SPIDERPOOL_INIT_DEFAULT_COORDINATOR_POD_CIDR_TYPE: 'cluster',
        SPIDERPOOL_CNI_CONFIG_DIR: '{stateDir}/controller/net.d',
      });
    }
  });
});
