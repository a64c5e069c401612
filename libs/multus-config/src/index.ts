export * from './lib/errors.js';
export * from './lib/smc-defaults.js';
export * from './lib/smc-rules.js';
export * from './lib/nad-render.js';
