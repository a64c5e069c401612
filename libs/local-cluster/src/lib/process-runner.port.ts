/** Runs one child process to completion. The only way this lib executes programs (CNI chain, `ip`, kubectl). */
export interface ProcessRunner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

export interface RunOptions {
  /** Extra variables on top of the parent's environment. */
  env?: Record<string, string>;
  /** Written to stdin, then stdin is closed. */
  input?: string;
  timeoutMs?: number;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}
