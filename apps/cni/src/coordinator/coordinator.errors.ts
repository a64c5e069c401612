// Errors raised by the coordinator plugin. All carry a stable `code`; the CNI mapper
// (cni-error.mapper.ts) turns them into wire errors.
import { PluginError } from '../errors.js';

/** The merged netconf + agent configuration is invalid (bad CIDR, MAC prefix, rp_filter …). */
export class CoordinatorConfigError extends PluginError {
  override readonly name = 'CoordinatorConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_COORDINATOR_CONFIG', message, options);
  }
}

/** The pod's interfaces contradict the mode (e.g. overlay on the first NIC, underlay without veth0). */
export class ModeConflictError extends PluginError {
  override readonly name = 'ModeConflictError';
  constructor(message: string) {
    super('MODE_CONFLICT', message);
  }
}

/** The coordinator runs chained only; the runtime passed no prevResult. */
export class PrevResultMissingError extends PluginError {
  override readonly name = 'PrevResultMissingError';
  constructor() {
    super('PREV_RESULT_MISSING', 'coordinator must be chained after a main plugin: prevResult is missing');
  }
}

/** A step of the ADD/DEL sequence failed; `step` names it, `cause` holds the netlink/iptables error. */
export class NetworkSetupError extends PluginError {
  override readonly name = 'NetworkSetupError';
  constructor(
    readonly step: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('NETWORK_SETUP_FAILED', `${step}: ${message}`, options);
  }
}
