import { execFile } from 'node:child_process';

/**
 * THE namespace primitive of this lib (house style §17): every command aimed at another network namespace
 * is wrapped here, as `nsenter --net=<path> -- <argv>`. `nsenter` accepts any namespace file — a named one
 * under `/var/run/netns/` or a process's `/proc/<pid>/ns/net` — whereas `ip -n <name>` only takes names.
 * Only the child enters the namespace; the Node process never calls setns.
 */
export function inNetns(netns: string | undefined, argv: readonly string[]): string[] {
  return netns === undefined ? [...argv] : ['nsenter', `--net=${netns}`, '--', ...argv];
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  /** null when the child was killed by a signal (e.g. the timeout). */
  readonly exitCode: number | null;
}

/** Runs a program without a shell. Resolves for any exit status; rejects only when it cannot be started. */
export interface CommandRunner {
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

export interface RunOptions {
  readonly stdin?: string;
  /** Kill (SIGKILL) after this many ms instead of the runner's default; the result then has `exitCode: null`. */
  readonly timeoutMs?: number;
}

export interface ExecFileRunnerOptions {
  /** Environment for children; LC_ALL=C is always added so that tool messages are stable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `node:child_process.execFile`-based runner (no shell, no extra dependency — the CNI binaries bundle it). */
export class ExecFileRunner implements CommandRunner {
  private readonly env: Record<string, string | undefined>;
  private readonly timeoutMs: number;

  constructor(options: ExecFileRunnerOptions = {}) {
    this.env = { ...(options.env ?? { PATH: DEFAULT_PATH }), LC_ALL: 'C' };
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  run(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const [file, ...args] = argv;
    if (file === undefined) return Promise.reject(new Error('empty command'));
    return new Promise((resolve, reject) => {
      const child = execFile(
        file,
        args,
        {
          env: this.env,
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
          timeout: options.timeoutMs ?? this.timeoutMs,
          killSignal: 'SIGKILL',
        },
        (error, stdout, stderr) => {
          if (error && typeof error.code === 'string') {
            reject(error); // spawn failure (ENOENT, EACCES …), not an exit status
            return;
          }
          const exitCode = error ? (typeof error.code === 'number' ? error.code : null) : 0;
          resolve({ stdout, stderr, exitCode });
        },
      );
      child.stdin?.on('error', () => undefined); // EPIPE when the child exits before reading stdin
      child.stdin?.end(options.stdin ?? '');
    });
  }
}
