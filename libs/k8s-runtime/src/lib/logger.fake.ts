import { pino, type Logger } from 'pino';

export interface CapturedLogger {
  logger: Logger;
  /** Every emitted record, parsed. */
  records: Array<Record<string, unknown>>;
}

/** A debug-level pino logger that keeps its records in memory for assertions. */
export function captureLogger(): CapturedLogger {
  const records: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void records.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, records };
}
