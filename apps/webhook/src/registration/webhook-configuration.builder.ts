// Builds the Mutating/ValidatingWebhookConfiguration objects (crds.md §1.4, controller-and-chart.md §5.6). Pure.
import { webhookPath } from '../server/webhook-path.js';

export type WebhookTarget =
  | { readonly url: string } // local cluster: https://127.0.0.1:<port>
  | { readonly service: { readonly namespace: string; readonly name: string; readonly port: number } }; // chart

export interface RegistrationOptions {
  /** Name of both configuration objects (`<ctrl>` in the chart). */
  readonly name: string;
  readonly target: WebhookTarget;
  /** PEM CA bundle (it is base64-encoded here); omit for cert-manager injection. */
  readonly caPem?: string;
  readonly coordinatorEnabled: boolean;
  readonly multusConfigEnabled: boolean;
}

type Op = 'CREATE' | 'UPDATE' | 'DELETE';

interface KindEntry {
  readonly kind: string;
  readonly resource: string;
  readonly mutateOps: Op[];
  readonly validateOps: Op[];
  readonly enabled: (o: RegistrationOptions) => boolean;
}

/** The table of §5.6. SpiderSubnet is always registered (its handler explains when the feature is off). */
const KINDS: readonly KindEntry[] = [
  { kind: 'SpiderSubnet', resource: 'spidersubnets', mutateOps: ['CREATE', 'UPDATE'], validateOps: ['CREATE', 'UPDATE', 'DELETE'], enabled: () => true },
  { kind: 'SpiderMultusConfig', resource: 'spidermultusconfigs', mutateOps: ['CREATE', 'UPDATE'], validateOps: ['CREATE', 'UPDATE'], enabled: (o) => o.multusConfigEnabled },
  { kind: 'SpiderIPPool', resource: 'spiderippools', mutateOps: ['CREATE', 'UPDATE'], validateOps: ['CREATE', 'UPDATE', 'DELETE'], enabled: () => true },
  { kind: 'SpiderReservedIP', resource: 'spiderreservedips', mutateOps: ['CREATE', 'UPDATE'], validateOps: ['CREATE', 'UPDATE'], enabled: () => true },
  { kind: 'SpiderCoordinator', resource: 'spidercoordinators', mutateOps: ['CREATE', 'UPDATE'], validateOps: ['CREATE', 'UPDATE'], enabled: (o) => o.coordinatorEnabled },
];

function entry(o: RegistrationOptions, k: KindEntry, role: 'mutate' | 'validate'): Record<string, unknown> {
  const path = webhookPath(role, k.kind);
  const clientConfig: Record<string, unknown> =
    'url' in o.target
      ? { url: `${o.target.url.replace(/\/$/, '')}${path}` }
      : { service: { ...o.target.service, path } };
  if (o.caPem !== undefined) clientConfig['caBundle'] = Buffer.from(o.caPem).toString('base64');
  return {
    name: `${k.kind.toLowerCase()}.spiderpool.spidernet.io`,
    admissionReviewVersions: ['v1'],
    failurePolicy: 'Fail',
    sideEffects: 'None',
    timeoutSeconds: 5,
    clientConfig,
    rules: [
      {
        apiGroups: ['spiderpool.spidernet.io'],
        apiVersions: ['v2beta1'],
        resources: [k.resource], // main resource only: status writes never reach the webhook
        operations: role === 'mutate' ? k.mutateOps : k.validateOps,
      },
    ],
  };
}

export function buildWebhookConfigurations(o: RegistrationOptions): {
  mutating: Record<string, unknown>;
  validating: Record<string, unknown>;
} {
  const kinds = KINDS.filter((k) => k.enabled(o));
  return {
    mutating: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: o.name },
      webhooks: kinds.map((k) => entry(o, k, 'mutate')),
    },
    validating: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: o.name },
      webhooks: kinds.map((k) => entry(o, k, 'validate')),
    },
  };
}
