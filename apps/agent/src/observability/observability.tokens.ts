/** The agent's root pino logger (injected, never configured at import time; house style §12). */
export const LOGGER = Symbol('LOGGER');
