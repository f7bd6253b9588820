// One table for every error Kaifang can answer with. The HTTP layer maps a thrown
// KaifangError to application/problem+json from this table, the OpenAPI error
// schemas are generated from it, and docs/errors.md is generated from it, so the
// status a client sees, the document and the guide can never disagree.

export interface ErrorSpec {
  /** HTTP status the code is answered with. */
  status: number;
  /** Short, stable, human-readable summary (RFC 9457 `title`). */
  title: string;
  /** What it means and how a caller fixes it; shown in docs/errors.md. */
  fix: string;
}

export const ERRORS = {
  validation_failed: {
    status: 400,
    title: 'Request validation failed',
    fix: 'A parameter, header or body field is missing or malformed. The `errors` member names each offending parameter and what was expected.',
  },
  malformed_body: {
    status: 400,
    title: 'Malformed request body',
    fix: 'The body could not be parsed (for JSON: invalid syntax). Send a well-formed body of the declared Content-Type.',
  },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    fix: 'Send credentials: an API key as `Authorization: Bearer <key>` or `X-Api-Key: <key>`, or a steward token for /v1/admin routes.',
  },
  invalid_api_key: {
    status: 401,
    title: 'Invalid API key',
    fix: 'The API key is malformed, has a wrong checksum (mistyped or truncated), is unknown, was revoked, or has expired (a rotated key stops at the end of its grace period). The `detail` member says which. Create a new key with `POST /v1/keys` or sign up again.',
  },
  api_key_in_query: {
    status: 400,
    title: 'API key sent in the query string',
    fix: 'Keys are refused in URLs because URLs are kept in server and proxy logs, browser history and Referer headers. Treat the key as exposed: revoke it, and send the new key as `Authorization: Bearer <key>` or `X-Api-Key: <key>`.',
  },
  invalid_token: {
    status: 401,
    title: 'Invalid or expired token',
    fix: 'The bearer token failed verification (signature, issuer, audience, expiry or algorithm). Obtain a fresh token from your identity provider or `kaifang token`.',
  },
  forbidden: {
    status: 403,
    title: 'Not allowed',
    fix: 'The caller is authenticated but lacks the role, scope or ownership this operation requires.',
  },
  account_suspended: {
    status: 403,
    title: 'Account suspended',
    fix: 'An administrator suspended the developer account this key belongs to; every key of the account is refused. Contact the platform operators.',
  },
  application_required: {
    status: 403,
    title: 'Conditional access required',
    fix: 'The dataset is conditionally open: its records are served only to accounts holding a grant from an approved application, for the granted fields, until the grant ends or is revoked. Apply with POST /v1/applications (see docs/conditional-access.md); metadata stays public.',
  },
  organization_not_verified: {
    status: 403,
    title: 'Organisation not verified',
    fix: 'Only accounts verified as an organisation may apply for conditionally open data. Ask for verification with POST /v1/organization-verification (organisation name and unified social credit code) and wait for an administrator to verify it.',
  },
  conflict_of_interest: {
    status: 403,
    title: 'Conflict of interest',
    fix: 'A steward cannot decide on an application made by their own developer account (the steward token subject is the applicant account\'s email address). Another steward of the publisher must decide.',
  },
  not_found: {
    status: 404,
    title: 'Not found',
    fix: 'No resource exists at this path, or it is not visible to the caller. Check the identifier.',
  },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed',
    fix: 'The path exists but does not accept this HTTP method. The `Allow` header lists the methods it accepts.',
  },
  conflict: {
    status: 409,
    title: 'Conflict with the current state',
    fix: 'The resource already exists or is in a state that does not allow this change. Read it again and retry with the current state.',
  },
  payload_too_large: {
    status: 413,
    title: 'Request body too large',
    fix: 'The body exceeds the configured limit. Send a smaller body, or for imports raise MAX_IMPORT_BYTES.',
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    fix: 'Send the body with one of the Content-Types the operation documents.',
  },
  unprocessable: {
    status: 422,
    title: 'The request cannot be carried out',
    fix: 'The request is well-formed but breaks a rule of the domain (for example a privacy policy). The `detail` and `errors` members say which rule.',
  },
  csv_invalid: {
    status: 422,
    title: 'The CSV file cannot be imported',
    fix: 'The upload was read but is not a well-formed CSV table. The `errors` member lists each problem with its line (and column where it applies): a missing or duplicate header name, a row with more or fewer fields than the header, an unclosed double quote, bytes that are not valid UTF-8 or GB18030, or a value that does not fit its column type. Fix those lines and upload the whole file again; nothing was imported.',
  },
  rate_limited: {
    status: 429,
    title: 'Too many requests',
    fix: 'The rate limit or quota for this key or client is used up. Wait for the number of seconds in `Retry-After` before retrying.',
  },
  internal_error: {
    status: 500,
    title: 'Internal server error',
    fix: 'Something failed on the server. Retry later; if it persists, report the `requestId` to the operators.',
  },
  rate_limiter_unavailable: {
    status: 503,
    title: 'Rate limiter unavailable',
    fix: 'The shared rate-limit store (Redis) cannot be reached and the service is configured to refuse requests rather than admit them unmetered (`RATE_LIMIT_REDIS_FAILURE=closed`). Retry with backoff.',
  },
  database_unavailable: {
    status: 503,
    title: 'Database unavailable',
    fix: 'The service cannot reach its database right now. Retry with backoff; operators see it on /readyz.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** One problem with one input, for example a query parameter or a CSV cell. */
export interface FieldIssue {
  /** Where: a parameter name, a JSON pointer into the body, or `line 12, column "phone"`. */
  location: string;
  message: string;
}

/**
 * The error every domain folder throws. It carries a code from ERRORS and never any
 * raw data value: details must be safe to show to the caller and to log.
 */
export class KaifangError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldIssue[] | undefined;
  /** Extra problem members (for example `retryAfterSeconds`). */
  readonly extras: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: { errors?: FieldIssue[]; extras?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(detail ?? ERRORS[code].title, { cause: options.cause });
    this.name = 'KaifangError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.errors = options.errors;
    this.extras = options.extras;
  }
}

export function isKaifangError(value: unknown): value is KaifangError {
  return value instanceof KaifangError;
}
