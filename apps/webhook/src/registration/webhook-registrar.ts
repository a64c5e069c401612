// Applies / removes the webhook configurations on an API server (local cluster, int tests, bench).
import { AdmissionregistrationV1Api, ApiException, type KubeConfig, type V1MutatingWebhookConfiguration, type V1ValidatingWebhookConfiguration } from '@kubernetes/client-node';
import { buildWebhookConfigurations, type RegistrationOptions } from './webhook-configuration.builder.js';

export async function registerWebhooks(kc: KubeConfig, opts: RegistrationOptions): Promise<void> {
  const api = kc.makeApiClient(AdmissionregistrationV1Api);
  const { mutating, validating } = buildWebhookConfigurations(opts);
  await unregisterWebhooks(kc, opts.name);
  await api.createMutatingWebhookConfiguration({ body: mutating as unknown as V1MutatingWebhookConfiguration });
  await api.createValidatingWebhookConfiguration({ body: validating as unknown as V1ValidatingWebhookConfiguration });
}

export async function unregisterWebhooks(kc: KubeConfig, name: string): Promise<void> {
  const api = kc.makeApiClient(AdmissionregistrationV1Api);
  const ignoreNotFound = (err: unknown) => {
    if (!(err instanceof ApiException && err.code === 404)) throw err;
  };
  await api.deleteMutatingWebhookConfiguration({ name }).catch(ignoreNotFound);
  await api.deleteValidatingWebhookConfiguration({ name }).catch(ignoreNotFound);
}
