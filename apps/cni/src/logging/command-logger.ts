// The per-invocation logger and the failure log line every CNI plugin uses (house style §12).
import type { Logger } from 'pino';
import type { CniError } from '../errors.js';
import { errorMessage } from '../errors.js';
import type { CmdArgs } from '../skel/plugin.port.js';
import { LOG_FIELD } from './log-fields.js';

/** `base` bound with the command and pod identity of one invocation. */
export function commandLogger(base: Logger, args: CmdArgs<unknown>): Logger {
  return base.child({
    [LOG_FIELD.command]: args.command,
    [LOG_FIELD.containerId]: args.containerId,
    [LOG_FIELD.netns]: args.netns,
    [LOG_FIELD.ifName]: args.ifName,
    [LOG_FIELD.podNamespace]: args.cniArgs.podNamespace,
    [LOG_FIELD.podName]: args.cniArgs.podName,
    [LOG_FIELD.podUID]: args.cniArgs.podUID,
  });
}

/** A plugin's `onError`: one error line with the CNI code, on the invocation logger when there is one. */
export function logCommandFailure(err: unknown, cni: CniError, ports: { logger: Logger } | undefined): void {
  ports?.logger.error({ [LOG_FIELD.cniCode]: cni.cniCode, [LOG_FIELD.err]: errorMessage(err) }, 'command failed');
}
