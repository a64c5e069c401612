export { MultusConfigModule, MULTUSCONFIG_RUNNABLES, buildMultusConfigRunnable, type MultusConfigDeps } from './multusconfig.module.js';
export { MULTUSCONFIG_ENV_SHAPE, MultusConfigEnvSchema, multusConfigOptions, type MultusConfigOptions } from './multusconfig.config.js';
export { MultusConfigReconciler, SMC_EVENT_REASONS, type EventPort } from './multusconfig.reconciler.js';
export { renderNad, nadNameOf, type RenderedNad } from '@spiderpool/multus-config';
export { InformerRunnable } from './informer-runnable.js';
