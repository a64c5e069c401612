import type { ProcessRunner, RunOptions, RunResult } from './process-runner.port.js';

export interface RecordedRun {
  file: string;
  args: readonly string[];
  options: RunOptions;
}

/** Records every run and answers with a scripted responder (default: success with empty output). */
export class FakeProcessRunner implements ProcessRunner {
  readonly runs: RecordedRun[] = [];

  constructor(
    private responder: (run: RecordedRun) => RunResult = () => ({ exitCode: 0, stdout: '', stderr: '' }),
  ) {}

  respondWith(responder: (run: RecordedRun) => RunResult): void {
    this.responder = responder;
  }

  async run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const run = { file, args, options };
    this.runs.push(run);
    return this.responder(run);
  }
}
