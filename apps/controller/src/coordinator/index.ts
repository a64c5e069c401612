export { CoordinatorModule, COORDINATOR_RUNNABLES, buildCoordinatorRunnable, type CoordinatorDeps } from './coordinator.module.js';
export { COORDINATOR_ENV_SHAPE, CoordinatorEnvSchema, coordinatorOptions, type CoordinatorOptions } from './coordinator.config.js';
export { CoordinatorReconciler } from './coordinator.reconciler.js';
export { detectCoordinatorStatus, planDefaultCoordinator, APPLIED_DEFAULT_SPEC_ANNOTATION } from './coordinator-status.js';
