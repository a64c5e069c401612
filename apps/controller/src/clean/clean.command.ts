import { API_GROUP, API_GROUP_VERSION } from '@spiderpool/crd-types';
import { isConflict, isNotFound, LOG_FIELDS } from '@spiderpool/k8s-runtime';
import type { Logger } from 'pino';
import type { ObjectClient, ResourceKind, WireObject } from '../api-client/object-client.port.js';
import { KINDS } from '../api-client/resource-kinds.js';

export interface CleanOptions {
  /** `--validate`: our ValidatingWebhookConfiguration. */
  readonly validate: string;
  /** `--mutating`: our MutatingWebhookConfiguration. */
  readonly mutating: string;
  /** `SPIDERPOOL_INIT_NAME`: the post-install init Job. */
  readonly initJobName?: string | undefined;
  /** `SPIDERPOOL_POD_NAMESPACE`. */
  readonly namespace?: string | undefined;
}

export interface CleanReport {
  readonly deleted: readonly string[];
  readonly errors: readonly string[];
}

const admission = (kind: string, plural: string): ResourceKind => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind,
  plural,
  namespaced: false,
});
export const CLEAN_KINDS = {
  mutating: admission('MutatingWebhookConfiguration', 'mutatingwebhookconfigurations'),
  validating: admission('ValidatingWebhookConfiguration', 'validatingwebhookconfigurations'),
  crd: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false },
  multusConfig: { apiVersion: API_GROUP_VERSION, kind: 'SpiderMultusConfig', plural: 'spidermultusconfigs', namespaced: true },
  coordinator: { apiVersion: API_GROUP_VERSION, kind: 'SpiderCoordinator', plural: 'spidercoordinators', namespaced: false },
} as const satisfies Record<string, ResourceKind>;

const SRIOV_GROUP = 'sriovnetwork.openshift.io';
const KEPT_CRDS = new Set([`sriovoperatorconfigs.${SRIOV_GROUP}`]);
const CONFLICT_ATTEMPTS = 5;

/** Our CRs in deletion order; `strip` = finalizers removed first so the uninstall is not blocked (§3.7 step 2). */
const CUSTOM_RESOURCES: ReadonlyArray<{ kind: ResourceKind; strip: boolean }> = [
  { kind: KINDS.ippool, strip: true },
  { kind: KINDS.subnet, strip: false },
  { kind: KINDS.endpoint, strip: true },
  { kind: KINDS.reservedIP, strip: false },
  { kind: CLEAN_KINDS.multusConfig, strip: false },
  { kind: CLEAN_KINDS.coordinator, strip: true },
];

const label = (kind: ResourceKind, o: { namespace?: string | undefined; name: string }): string =>
  `${kind.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

/**
 * `spiderpool-controller clean`, the Helm pre-delete hook (controller-and-chart.md §3.7). Best effort: every step
 * runs, errors are collected and returned; NotFound counts as done, so a second run is a no-op.
 */
export class UninstallCleaner {
  private readonly deleted: string[] = [];
  private readonly errors: string[] = [];

  constructor(
    private readonly client: ObjectClient,
    private readonly log: Logger,
  ) {}

  async run(options: CleanOptions): Promise<CleanReport> {
    // 1. Webhook configurations first, so that deleting our objects is not refused by our own (gone) webhook.
    for (const name of [options.mutating, 'network-resources-injector-config', 'sriov-operator-webhook-config']) {
      await this.remove(CLEAN_KINDS.mutating, { name });
    }
    for (const name of [options.validate, 'sriov-operator-webhook-config']) {
      await this.remove(CLEAN_KINDS.validating, { name });
    }
    // 2. Our custom resources.
    for (const { kind, strip } of CUSTOM_RESOURCES) await this.cleanKind(kind, strip);
    // 3. The CRDs (the NetworkAttachmentDefinition CRD stays: other CNIs use it).
    await this.step('list CustomResourceDefinitions', async () => {
      const crds = await this.client.list<WireObject & { spec?: { group?: string } }>(CLEAN_KINDS.crd);
      for (const crd of crds) {
        const group = crd.spec?.group;
        const name = crd.metadata.name ?? '';
        if (group === API_GROUP || (group === SRIOV_GROUP && !KEPT_CRDS.has(name))) {
          await this.remove(CLEAN_KINDS.crd, { name });
        }
      }
    });
    // 4. The init Job.
    if (options.initJobName && options.namespace) {
      await this.remove(KINDS.job, { namespace: options.namespace, name: options.initJobName }, 'Background');
    } else {
      this.fail('skip deleting the init Job: SPIDERPOOL_INIT_NAME or SPIDERPOOL_POD_NAMESPACE is empty');
    }
    return { deleted: [...this.deleted], errors: [...this.errors] };
  }

  private async cleanKind(kind: ResourceKind, strip: boolean): Promise<void> {
    await this.step(`list ${kind.kind}`, async () => {
      // A CRD already gone (earlier run) lists as NotFound: nothing to do.
      const items = await this.client.list(kind).catch((err: unknown) => {
        if (isNotFound(err)) return [];
        throw err;
      });
      for (const item of items) {
        const ref = {
          ...(item.metadata.namespace ? { namespace: item.metadata.namespace } : {}),
          name: item.metadata.name ?? '',
        };
        if (strip) await this.step(`strip finalizers of ${label(kind, ref)}`, () => this.stripFinalizers(kind, ref));
        await this.remove(kind, ref);
      }
    });
  }

  private async stripFinalizers(kind: ResourceKind, ref: { namespace?: string; name: string }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.client.get(kind, ref);
      if (current === undefined || (current.metadata.finalizers ?? []).length === 0) return;
      try {
        await this.client.replace(kind, { ...current, metadata: { ...current.metadata, finalizers: [] } });
        return;
      } catch (err) {
        if (!isConflict(err) || attempt >= CONFLICT_ATTEMPTS) throw err;
      }
    }
  }

  private async remove(
    kind: ResourceKind,
    ref: { namespace?: string; name: string },
    propagation?: 'Background',
  ): Promise<void> {
    await this.step(`delete ${label(kind, ref)}`, async () => {
      await this.client.delete(kind, ref, propagation ? { propagation } : {});
      this.deleted.push(label(kind, ref));
    });
  }

  private async step(what: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      this.fail(`${what}: ${(err as Error).message}`, err);
    }
  }

  private fail(message: string, err?: unknown): void {
    this.errors.push(message);
    this.log.error({ ...(err === undefined ? {} : { [LOG_FIELDS.err]: err }) }, message);
  }
}
