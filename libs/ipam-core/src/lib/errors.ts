/**
 * The closed error hierarchy of ipam-core (house style §10). Callers branch on `instanceof` or `code`,
 * never on message text.
 */
import type { FieldError } from '@spiderpool/crd-types';

/** Why a candidate pool was not used (selection filters, pre-checks and allocation failures). */
export type PoolRejectionReason =
  | 'NotFound'
  | 'Terminating'
  | 'Disabled'
  | 'IPVersionMismatch'
  | 'NodeNotMatched'
  | 'NamespaceNotMatched'
  | 'PodNotMatched'
  | 'ClusterNetworkUnset'
  | 'MultusNotMatched'
  | 'MasterSubnetNotMatched'
  | 'Exhausted'
  | 'RecordLimitExceeded'
  | 'IPConflict';

export interface PoolRejection {
  readonly pool: string;
  readonly reason: PoolRejectionReason;
  readonly detail: string;
}

export abstract class IpamError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A string is not a valid IP, IP range or CIDR of the expected family. */
export class IPFormatError extends IpamError {
  readonly code = 'InvalidIPFormat';
}

/** Every candidate pool of a (NIC, family) was filtered out, or no selection rule applies. */
export class NoAvailablePoolError extends IpamError {
  readonly code = 'NoAvailablePool';

  constructor(
    message: string,
    readonly rejections: readonly PoolRejection[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Every remaining pool of a (NIC, family) has no free IP (or hit the record threshold). */
export class IPExhaustedError extends IpamError {
  readonly code = 'IPExhausted';

  constructor(
    message: string,
    readonly rejections: readonly PoolRejection[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An IP is held by someone else (a fixed IP owned by another pod, a record "data broken"). */
export class IPConflictError extends IpamError {
  readonly code = 'IPConflict';

  constructor(
    message: string,
    readonly ip: string,
    readonly holder: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The resource changed under us; raised by the shell's retry helper when its retries are spent. */
export class ResourceVersionConflictError extends IpamError {
  readonly code = 'ResourceVersionConflict';

  constructor(
    message: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** User input (pool spec, annotation, stored status) is malformed; carries the field paths. */
export class InvalidSpecError extends IpamError {
  readonly code = 'InvalidSpec';

  constructor(
    message: string,
    readonly fieldErrors: readonly FieldError[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
