export * from './lib/models.js';
export * from './lib/errors.js';
export * from './lib/operations.js';
export * from './lib/validation.js';
export { buildOpenApiDocument, AGENT_API_TITLE, AGENT_API_VERSION } from './lib/openapi.js';
