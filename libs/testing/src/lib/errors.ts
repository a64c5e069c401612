/** Base of every error thrown by @spiderpool/testing: a stable `code` to branch on, and the underlying `cause`. */
export class TestingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A pinned binary is not built yet (or its path from the environment does not exist). */
export class BinaryNotFoundError extends TestingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BINARY_NOT_FOUND', message, options);
  }
}

/** A control-plane component failed to start, exited early or did not become ready. */
export class ControlPlaneStartError extends TestingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONTROL_PLANE_START', message, options);
  }
}

/** `waitFor` gave up; `cause` is the last failure seen. */
export class WaitTimeoutError extends TestingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WAIT_TIMEOUT', message, options);
  }
}

/** kubectl (or another child command) exited non-zero. */
export class CommandFailedError extends TestingError {
  constructor(
    message: string,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super('COMMAND_FAILED', message, options);
  }
}
