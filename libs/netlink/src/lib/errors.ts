/**
 * The closed error hierarchy of libs/netlink (house style §10). Callers branch on `instanceof` or on `code`,
 * never on message text. Errors raised from a failed `ip`/`nsenter` run carry the `NetlinkCommandError` as `cause`.
 */
export type NetlinkErrorCode =
  | 'NOT_FOUND'
  | 'LINK_NOT_FOUND'
  | 'NETNS_NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'LINK_DOWN'
  | 'GATEWAY_UNREACHABLE'
  | 'INVALID_ARGUMENT'
  | 'COMMAND_FAILED'
  | 'PARSE_FAILED'
  | 'TOOL_MISSING'
  | 'NOT_READY';

/** Kinds of object an operation may fail to find. */
export type NetlinkObjectKind = 'link' | 'netns' | 'address' | 'route' | 'rule' | 'neighbour' | 'sysctl';

export abstract class NetlinkError extends Error {
  abstract readonly code: NetlinkErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The object an operation addresses (address, route, rule, neighbour, sysctl …) does not exist. */
export class NotFoundError extends NetlinkError {
  override readonly code: NetlinkErrorCode = 'NOT_FOUND';

  constructor(
    readonly kind: NetlinkObjectKind,
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind} not found: ${what}`, options);
  }
}

/** A named link does not exist in the target namespace. */
export class LinkNotFoundError extends NotFoundError {
  override readonly code: NetlinkErrorCode = 'LINK_NOT_FOUND';

  constructor(
    readonly linkName: string,
    options?: { cause?: unknown },
  ) {
    super('link', linkName, options);
  }
}

/** The target (or destination) network namespace path does not exist. */
export class NetnsNotFoundError extends NotFoundError {
  override readonly code: NetlinkErrorCode = 'NETNS_NOT_FOUND';

  constructor(
    readonly netnsPath: string,
    options?: { cause?: unknown },
  ) {
    super('netns', netnsPath, options);
  }
}

/** The object to create exists already (EEXIST). Idempotent callers catch this one. */
export class AlreadyExistsError extends NetlinkError {
  readonly code = 'ALREADY_EXISTS' as const;

  constructor(
    readonly kind: NetlinkObjectKind,
    readonly what: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind} already exists: ${what}`, options);
  }
}

/** A route names a device that is administratively down (ENETDOWN). */
export class LinkDownError extends NetlinkError {
  readonly code = 'LINK_DOWN' as const;

  constructor(
    readonly linkName: string,
    options?: { cause?: unknown },
  ) {
    super(`link is down: ${linkName}`, options);
  }
}

/** A route's gateway is not reachable on-link (ENETUNREACH / invalid gateway). */
export class GatewayUnreachableError extends NetlinkError {
  readonly code = 'GATEWAY_UNREACHABLE' as const;

  constructor(
    readonly gateway: string,
    options?: { cause?: unknown },
  ) {
    super(`gateway is not reachable on-link: ${gateway}`, options);
  }
}

/** The request itself is malformed (bad CIDR, MAC, name, sysctl key …); nothing was run. */
export class InvalidArgumentError extends NetlinkError {
  readonly code = 'INVALID_ARGUMENT' as const;

  constructor(
    readonly field: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid ${field}: ${detail}`, options);
  }
}

/** A spawned command failed and the failure maps to no more specific class. */
export class NetlinkCommandError extends NetlinkError {
  readonly code = 'COMMAND_FAILED' as const;

  constructor(
    readonly command: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`command failed (exit ${exitCode ?? 'signal'}): ${command.join(' ')}: ${stderr.trim()}`, options);
  }
}

/** `ip -json` printed something the schemas do not accept. */
export class NetlinkParseError extends NetlinkError {
  readonly code = 'PARSE_FAILED' as const;

  constructor(
    readonly command: readonly string[],
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot parse output of ${command.join(' ')}: ${detail}`, options);
  }
}

/** A program a probe needs is not installed; `debianPackage` names the package that provides it. */
export class ProbeToolMissingError extends NetlinkError {
  readonly code = 'TOOL_MISSING' as const;

  constructor(
    readonly tool: string,
    readonly debianPackage: string,
    options?: { cause?: unknown },
  ) {
    super(`${tool} is not installed on this node (Debian package ${debianPackage})`, options);
  }
}

/** The link is not ready for a probe in time (IPv6: no non-tentative link-local address yet). */
export class LinkNotReadyError extends NetlinkError {
  readonly code = 'NOT_READY' as const;

  constructor(
    readonly linkName: string,
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `link ${linkName}: no usable IPv6 link-local address after ${waitedMs} ms (duplicate address detection not finished)`,
      options,
    );
  }
}
