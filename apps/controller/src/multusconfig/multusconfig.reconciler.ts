import { API_GROUP_VERSION, SpiderMultusConfigSchema, type SpiderMultusConfig } from '@spiderpool/crd-types';
import {
  TerminalError,
  type EventInput,
  type EventRegarding,
  type KubeObject,
  type ObjectKey,
  type ReconcileContext,
  type ReconcileResult,
  type Reconciler,
} from '@spiderpool/k8s-runtime';
import { InvalidSpecError, NadOwnedElsewhereError } from './multusconfig.errors.js';
import type { NadManager } from './nad.manager.js';
import { planNadWrite } from './nad-plan.js';
import { renderNad } from '@spiderpool/multus-config';

/** Read side: the SMC informer cache (`Informer.get`). */
export interface SmcLister {
  get(key: ObjectKey): KubeObject | undefined;
}

/** Event side: `EventRecorder.record` (never throws). */
export interface EventPort {
  record(regarding: EventRegarding, input: EventInput): Promise<void>;
}

/** Event reasons on the SMC (house style §19: failures users can act on show up on the object). */
export const SMC_EVENT_REASONS = {
  invalidSpec: 'InvalidSpec',
  nadConflict: 'NetworkAttachmentDefinitionConflict',
  nadCreated: 'NetworkAttachmentDefinitionCreated',
  nadUpdated: 'NetworkAttachmentDefinitionUpdated',
} as const;

/**
 * SpiderMultusConfig → NetworkAttachmentDefinition (controller-and-chart.md §1.4, §1.6). Level-based: renders the
 * desired NAD from the cached SMC and makes the live NAD match it with one create or update. Deletion is left
 * to the garbage collector (controller ownerReference). The SMC has no status subresource, so user-actionable
 * failures are reported as Warning Events on it and end the key with `TerminalError` (the next SMC change
 * retries).
 */
export class MultusConfigReconciler implements Reconciler {
  constructor(
    private readonly smcs: SmcLister,
    private readonly nads: NadManager,
    private readonly events: EventPort,
  ) {}

  async reconcile(key: ObjectKey, ctx: ReconcileContext): Promise<ReconcileResult> {
    const raw = this.smcs.get(key);
    if (!raw) return {};
    if (raw.metadata?.deletionTimestamp != null) return {};
    const regarding: EventRegarding = {
      apiVersion: API_GROUP_VERSION,
      kind: 'SpiderMultusConfig',
      name: key.name,
      ...(key.namespace ? { namespace: key.namespace } : {}),
      ...(raw.metadata?.uid ? { uid: raw.metadata.uid } : {}),
    };

    const parsed = SpiderMultusConfigSchema.safeParse(raw);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw await this.terminal(regarding, SMC_EVENT_REASONS.invalidSpec, `invalid SpiderMultusConfig: ${detail}`, parsed.error);
    }
    const smc: SpiderMultusConfig = parsed.data;

    let desired;
    try {
      desired = renderNad(smc);
    } catch (err) {
      if (err instanceof InvalidSpecError) {
        throw await this.terminal(regarding, SMC_EVENT_REASONS.invalidSpec, `cannot generate the NetworkAttachmentDefinition: ${err.message}`, err);
      }
      throw err;
    }

    const existing = await this.nads.get(desired.namespace, desired.name);
    if (ctx.signal.aborted) return {};
    let plan;
    try {
      plan = planNadWrite(existing, desired, { name: key.name, uid: raw.metadata?.uid ?? '' });
    } catch (err) {
      if (err instanceof NadOwnedElsewhereError) {
        throw await this.terminal(regarding, SMC_EVENT_REASONS.nadConflict, err.message, err);
      }
      throw err; // NadTerminatingError: retried with backoff until the old NAD is gone
    }

    const target = `${desired.namespace}/${desired.name}`;
    switch (plan.action) {
      case 'none':
        ctx.log.debug({ nad: target }, 'NetworkAttachmentDefinition up to date');
        return {};
      case 'create':
        await this.nads.create(plan.nad);
        ctx.log.info({ nad: target }, 'created NetworkAttachmentDefinition');
        await this.events.record(regarding, {
          type: 'Normal',
          reason: SMC_EVENT_REASONS.nadCreated,
          action: 'Create',
          note: `created NetworkAttachmentDefinition ${target}`,
        });
        return {};
      case 'update':
        await this.nads.replace(plan.nad);
        ctx.log.info({ nad: target, changed: plan.changed }, 'updated NetworkAttachmentDefinition');
        await this.events.record(regarding, {
          type: 'Normal',
          reason: SMC_EVENT_REASONS.nadUpdated,
          action: 'Update',
          note: `updated NetworkAttachmentDefinition ${target} (${plan.changed.join(', ')})`,
        });
        return {};
    }
  }

  private async terminal(regarding: EventRegarding, reason: string, message: string, cause: unknown): Promise<TerminalError> {
    await this.events.record(regarding, { type: 'Warning', reason, action: 'Reconcile', note: message });
    return new TerminalError(message, { reason, cause });
  }
}
