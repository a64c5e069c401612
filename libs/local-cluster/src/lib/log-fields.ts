/**
 * Structured-log keys of the local cluster (house style §12). Keys shared with the controller runtime keep its names
 * (`err`, `delayMs`, `namespace`, `name`); the rest name the simulated-node vocabulary.
 */
export const LOG_FIELDS = {
  node: 'node',
  pod: 'pod',
  podUid: 'podUid',
  podIPs: 'podIPs',
  netns: 'netns',
  link: 'link',
  zone: 'zone',
  bridge: 'bridge',
  gateway: 'gateway',
  plugin: 'plugin',
  source: 'source',
  step: 'step',
  delayMs: 'delayMs',
  err: 'err',
} as const;

/** `err` as logged: the message of an Error, else its string form. */
export function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
