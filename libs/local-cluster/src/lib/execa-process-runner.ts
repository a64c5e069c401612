import { execa } from 'execa';
import type { ProcessRunner, RunOptions, RunResult } from './process-runner.port.js';

/** {@link ProcessRunner} over execa; a non-zero exit is a result, not a throw (callers map it to typed errors). */
export class ExecaProcessRunner implements ProcessRunner {
  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const result = await execa(file, args, {
      env: options.env ?? {},
      extendEnv: true,
      input: options.input ?? '',
      timeout: options.timeoutMs ?? 60_000,
      reject: false,
      stripFinalNewline: false,
    });
    if (result.failed && result.exitCode === undefined) {
      // spawn error or timeout: no exit code to report
      return { exitCode: -1, stdout: String(result.stdout ?? ''), stderr: `${result.message}` };
    }
    return {
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
    };
  }
}
