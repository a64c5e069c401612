// The webhook under test, as the int specs need it: running in-process on 127.0.0.1 with generated certs,
// registered with the REAL API server, and confirmed to be called by it before any test runs.
import { KubeConfig } from '@kubernetes/client-node';
import { intTierKubeconfig } from '@spiderpool/testing';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { InformerIPPoolIndex } from '../cluster/informer-ippool-index.js';
import { KubeClusterReader } from '../cluster/kube-cluster-reader.js';
import { parseWebhookConfig } from '../config/schema.js';
import { registerWebhooks, unregisterWebhooks } from '../registration/webhook-registrar.js';
import { genTestCerts } from '../server/test-certs.fake.js';
import { startWebhookServer, type RunningWebhook } from '../server/webhook-server.js';
import { failureOf, KubeObjects } from './kube-objects.int-kit.js';

export interface WebhookUnderTest {
  kc: KubeConfig;
  k: KubeObjects;
  server: RunningWebhook;
  /** The informer-backed pool index, when started with `poolIndex: true`. */
  index: InformerIPPoolIndex | undefined;
  /** Remove the webhook configurations (objects can then be cleaned up without admission). */
  unregister(): Promise<void>;
  /** Stop the server and remove the certificates. */
  close(): Promise<void>;
}

const G = 'spiderpool.spidernet.io/v2beta1';

export async function startWebhookUnderTest(options: {
  /** Name of the Mutating/ValidatingWebhookConfiguration pair (unique per spec file and process). */
  registrationName: string;
  poolIndex?: boolean;
  env?: Record<string, string>;
}): Promise<WebhookUnderTest> {
  const kc = new KubeConfig();
  kc.loadFromFile(intTierKubeconfig());
  const k = new KubeObjects(kc);
  const dir = mkdtempSync(join(tmpdir(), 'wh-int-'));
  const certs = await genTestCerts(dir, ['127.0.0.1']);
  const parsed = parseWebhookConfig({
    SPIDERPOOL_WEBHOOK_PORT: '0',
    SPIDERPOOL_WEBHOOK_HOST: '127.0.0.1',
    SPIDERPOOL_WEBHOOK_CERT_DIR: dir,
    ...options.env,
  });
  if (!parsed.ok) throw new Error(parsed.issues.join());
  const logger = pino({ level: 'silent' });
  const index = options.poolIndex
    ? InformerIPPoolIndex.fromKubeconfig(intTierKubeconfig(), logger)
    : undefined;
  const server = await startWebhookServer({
    config: parsed.config,
    logger,
    reader: KubeClusterReader.fromKubeconfig(intTierKubeconfig()),
    ...(index ? { poolIndex: index } : {}),
  });
  await index?.waitForSync();
  await registerWebhooks(kc, {
    name: options.registrationName,
    target: { url: `https://127.0.0.1:${server.port}` },
    caPem: readFileSync(certs.caCert, 'utf8'),
    coordinatorEnabled: true,
    multusConfigEnabled: true,
  });
  // The API server picks configurations up asynchronously: wait until a bad object is denied by us (RIP-V4: a CIDR
  // is not an IP range).
  const probe = {
    apiVersion: G,
    kind: 'SpiderReservedIP',
    metadata: { name: `probe-${options.registrationName}` },
  };
  for (let i = 0; ; i++) {
    try {
      await k.create({ ...probe, spec: { ipVersion: 4, ips: ['10.0.0.0/24'] } });
      await k.purge(probe);
    } catch (err) {
      if (failureOf(err).message.includes('spiderreservedip.spiderpool.spidernet.io')) break;
    }
    if (i > 100) throw new Error('the API server never called the webhook');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    kc,
    k,
    server,
    index,
    unregister: () => unregisterWebhooks(kc, options.registrationName),
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
