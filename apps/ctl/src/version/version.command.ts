/** The CLI version (the workspace package version of apps/ctl). */
export const CTL_VERSION = '0.1.0';

export function versionText(): string {
  return `spiderpoolctl ${CTL_VERSION} (API spiderpool.spidernet.io/v2beta1, node ${process.versions.node})`;
}
