/** Errors of the SpiderMultusConfig controller (house style §10): a stable `code`, an optional `cause`. */
import { MultusConfigError } from '@spiderpool/multus-config';

export { InvalidSpecError, MultusConfigError } from '@spiderpool/multus-config';

/** The target NAD exists and is being deleted; retried until it is gone. */
export class NadTerminatingError extends MultusConfigError {
  readonly code = 'NAD_TERMINATING' as const;
}

/** The target NAD is controlled by another SpiderMultusConfig; the user must pick another name. */
export class NadOwnedElsewhereError extends MultusConfigError {
  readonly code = 'NAD_OWNED_ELSEWHERE' as const;
}
