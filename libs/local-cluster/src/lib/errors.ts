/** Base of every error thrown by @spiderpool/local-cluster: a stable `code` to branch on, and the `cause`. */
export type LocalClusterErrorCode =
  'CNI_FAILED' | 'CNI_BAD_OUTPUT' | 'HOST_NETWORK' | 'COMPONENT_START' | 'CLUSTER_START' | 'INVALID_TOPOLOGY';

export abstract class LocalClusterError extends Error {
  abstract readonly code: LocalClusterErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The CNI chain (Multus and its delegates) returned a CNI error object or exited non-zero. */
export class CniFailedError extends LocalClusterError {
  readonly code = 'CNI_FAILED' as const;

  constructor(
    readonly command: 'ADD' | 'DEL',
    /** CNI error code from the error JSON (0 when the plugin printed none). */
    readonly cniCode: number,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`CNI ${command} failed (code ${cniCode}): ${detail}`, options);
  }
}

/** The chain exited 0 but stdout is not a CNI result. */
export class CniBadOutputError extends LocalClusterError {
  readonly code = 'CNI_BAD_OUTPUT' as const;
}

/** A host networking step (netns, bridge, veth, address, sysctl) failed. */
export class HostNetworkError extends LocalClusterError {
  readonly code = 'HOST_NETWORK' as const;
}

/** A component process exited early or never became ready. */
export class ComponentStartError extends LocalClusterError {
  readonly code = 'COMPONENT_START' as const;
}

/** The local cluster could not be brought up (control plane, CRDs, node simulators). */
export class ClusterStartError extends LocalClusterError {
  readonly code = 'CLUSTER_START' as const;
}

/** The declared nodes/zones are inconsistent (unknown zone, duplicate name, gateway outside subnet). */
export class InvalidTopologyError extends LocalClusterError {
  readonly code = 'INVALID_TOPOLOGY' as const;
}
