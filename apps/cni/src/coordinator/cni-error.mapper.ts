// The one mapper from anything thrown inside the coordinator to a CNI wire error. Agent and netconf
// errors map as in the spiderpool plugin; the coordinator's own errors get codes of their own.
import { NetlinkError } from '@spiderpool/netlink';
import { CniError, errorMessage } from '../errors.js';
import { CNI_CODE } from '../skel/cni-codes.js';
import { ContextualError, toCniError as toSpiderpoolCniError } from '../spiderpool/cni-error.mapper.js';
import {
  CoordinatorConfigError,
  ModeConflictError,
  NetworkSetupError,
  PrevResultMissingError,
} from './coordinator.errors.js';

/** Ours (100+), documented in docs/compat.md. */
export const COORDINATOR_CNI_CODE = {
  /** A netlink/iptables step failed; `details` names the step's error code. */
  NETWORK_SETUP_FAILED: 120,
  /** The pod's interfaces contradict the coordinator mode. */
  MODE_CONFLICT: 121,
} as const;

export function toCoordinatorCniError(err: unknown): CniError {
  const inner = err instanceof ContextualError ? err.cause : err;
  if (inner instanceof CoordinatorConfigError || inner instanceof PrevResultMissingError) {
    return new CniError(CNI_CODE.INVALID_NETCONF, errorMessage(err), inner.code);
  }
  if (inner instanceof ModeConflictError) {
    return new CniError(COORDINATOR_CNI_CODE.MODE_CONFLICT, errorMessage(err), inner.code);
  }
  if (inner instanceof NetworkSetupError) {
    const cause = inner.cause;
    const details = cause instanceof NetlinkError ? cause.code : inner.code;
    return new CniError(COORDINATOR_CNI_CODE.NETWORK_SETUP_FAILED, errorMessage(err), details);
  }
  if (inner instanceof NetlinkError) {
    return new CniError(COORDINATOR_CNI_CODE.NETWORK_SETUP_FAILED, errorMessage(err), inner.code);
  }
  return toSpiderpoolCniError(err);
}
