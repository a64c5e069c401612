import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWebhookConfigurations } from './webhook-configuration.builder.js';

const here = dirname(fileURLToPath(import.meta.url));

function golden(name: string, actual: unknown): void {
  const file = join(here, `${name}.expected.json`);
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe('buildWebhookConfigurations', () => {
  it('chart form: service target, every kind (golden)', () => {
    golden(
      'webhook-configurations.service',
      buildWebhookConfigurations({
        name: 'spiderpool-controller',
        target: { service: { namespace: 'kube-system', name: 'spiderpool-controller', port: 5722 } },
        caPem: '-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n',
        coordinatorEnabled: true,
        multusConfigEnabled: true,
      }),
    );
  });

  it('local form: url target, coordinator and multus-config off (golden)', () => {
    golden(
      'webhook-configurations.url',
      buildWebhookConfigurations({
        name: 'spiderpool-local',
        target: { url: 'https://127.0.0.1:5722/' },
        coordinatorEnabled: false,
        multusConfigEnabled: false,
      }),
    );
  });

  it('no entry targets pods or a subresource', () => {
    const { mutating, validating } = buildWebhookConfigurations({ name: 'x', target: { url: 'https://h' }, coordinatorEnabled: true, multusConfigEnabled: true });
    const resources = [mutating, validating].flatMap((c) =>
      (c['webhooks'] as { rules: { resources: string[] }[] }[]).flatMap((w) => w.rules.flatMap((r) => r.resources)),
    );
    expect(resources.every((r) => r.startsWith('spider') && !r.includes('/'))).toBe(true);
  });
});
