// Mode resolution, "first invoke" and the pod-side policy table number (spec §3.2). Pure.
import { ModeConflictError } from './coordinator.errors.js';
import type { CoordinatorMode } from './coordinator-config.js';

/** Table reserved for the reply path (underlay) or the copied overlay default route (overlay). */
export const REPLY_TABLE = 100;
export const FIRST_NIC_TABLE = 101;
export const POD_VETH = 'veth0';

export interface ModeInput {
  readonly mode: Exclude<CoordinatorMode, 'disabled'>;
  readonly ifName: string;
  readonly podDefaultCniNic: string;
  readonly hasVeth0: boolean;
  /** Links in the pod that are UP, BROADCAST and MULTICAST (IfName is already up). */
  readonly upLinkCount: number;
}

export interface ModeDecision {
  readonly mode: 'underlay' | 'overlay';
  readonly firstInvoke: boolean;
  /** Policy table for this NIC's routes. */
  readonly table: number;
}

export function resolveMode(input: ModeInput): ModeDecision {
  let mode = input.mode;
  const isFirstNic = input.ifName === input.podDefaultCniNic;
  if (mode === 'auto') mode = isFirstNic || input.hasVeth0 ? 'underlay' : 'overlay';
  if (mode === 'underlay') {
    if (!isFirstNic && !input.hasVeth0) {
      throw new ModeConflictError(
        `underlay mode for ${input.ifName}: the auxiliary interface ${POD_VETH} was not created by the previous interface ${input.podDefaultCniNic}; is coordinator enabled for it?`,
      );
    }
    return {
      mode,
      firstInvoke: isFirstNic,
      table: isFirstNic ? FIRST_NIC_TABLE : input.upLinkCount + 98,
    };
  }
  if (isFirstNic) {
    throw new ModeConflictError(
      `overlay mode: ${input.ifName} is the pod's first NIC (${input.podDefaultCniNic}), this plugin should not work for it`,
    );
  }
  if (input.hasVeth0) {
    throw new ModeConflictError(
      `overlay mode for ${input.ifName}: ${POD_VETH} exists, so a previous NIC ran in underlay mode; modes cannot be mixed`,
    );
  }
  const firstInvoke = input.upLinkCount === 2;
  return { mode, firstInvoke, table: firstInvoke ? FIRST_NIC_TABLE : 99 + input.upLinkCount };
}
