// The webhook's small closed error hierarchy (HOUSE-STYLE §10). Callers branch on `code` or instanceof.

export type WebhookErrorCode = 'BAD_REVIEW' | 'UNSUPPORTED_KIND' | 'CLUSTER_READ' | 'CONFIG' | 'TLS' | 'CERT_TOOL';

export abstract class WebhookError extends Error {
  abstract readonly code: WebhookErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request body is not a usable AdmissionReview → HTTP 400 on the review itself. */
export class BadAdmissionReviewError extends WebhookError {
  readonly code = 'BAD_REVIEW' as const;
}

/** The review names a kind the path does not serve. */
export class UnsupportedKindError extends WebhookError {
  readonly code = 'UNSUPPORTED_KIND' as const;
}

/** A lister/getter against the API server failed (not NotFound). */
export class ClusterReadError extends WebhookError {
  readonly code = 'CLUSTER_READ' as const;
}

export class ConfigError extends WebhookError {
  readonly code = 'CONFIG' as const;
}

export class TlsError extends WebhookError {
  readonly code = 'TLS' as const;
}
