import type { CIDR, IPFamily } from '@spiderpool/ipam-core';
import type { KubeObject } from '../admission/kind-webhook.js';

/**
 * A local, informer-fed view of the SpiderIPPools, used to find the few pools IPP-V6 must look at instead of
 * listing every pool with a consistent read on each admission (ADR 0008). Answers are candidates only: the
 * validator re-reads each candidate live before it denies. `undefined` means "not synced": fall back to the list.
 */
export interface IPPoolIndex {
  /**
   * Read barrier: resolves `true` once the view has applied every change up to `resourceVersion` (a consistent
   * collection resourceVersion read just before), `false` when that is not reached within the index's bound or
   * cannot be decided. Only after `true` may `overlapping` stand in for a consistent list.
   */
  waitUntilFresh(resourceVersion: string): Promise<boolean>;
  /** Pools of `family` whose subnet overlaps `cidr`, or that are named `name`. */
  overlapping(family: IPFamily, cidr: CIDR, name: string): KubeObject[] | undefined;
}

export const IPPOOL_INDEX = Symbol('IPPOOL_INDEX');
