// pino logger writing JSON lines to a file (never stdout — stdout is the CNI result channel).
// Keys follow the upstream plugin logs: level (upper-case), ts (ISO-8601), logger, msg.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';
import { rotateIfNeeded, type RotationPolicy } from './log-rotation.js';

export type CniLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'panic';

export interface FileLoggerOptions extends RotationPolicy {
  /** Logger name, e.g. `spiderpool`. */
  name: string;
  path: string;
  level: CniLogLevel;
}

export function pinoLevel(level: CniLogLevel): pino.Level {
  return level === 'panic' ? 'fatal' : level;
}

/** Options shared by the file logger and tests (which log into memory). */
export function loggerOptions(name: string, level: CniLogLevel): pino.LoggerOptions {
  return {
    level: pinoLevel(level),
    base: { logger: name },
    messageKey: 'msg',
    timestamp: () => `,"ts":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label.toUpperCase() }) },
  };
}

export function openFileLogger(opts: FileLoggerOptions): Logger {
  mkdirSync(dirname(opts.path), { recursive: true, mode: 0o755 });
  rotateIfNeeded(opts.path, opts);
  const dest = pino.destination({ dest: opts.path, sync: true, append: true });
  return pino(loggerOptions(opts.name, opts.level), dest);
}
