import type { Problem, ProblemCode, ProblemFieldIssue } from './types.js';

/**
 * `code` of a KaifangError whose response was not a Kaifang problem body (for example an
 * HTML error page from a proxy in front of the API).
 */
export const UNEXPECTED_RESPONSE = 'unexpected_response';

export type KaifangErrorCode = ProblemCode | typeof UNEXPECTED_RESPONSE;

/**
 * An error response of the Kaifang API. Every field comes from the RFC 9457 problem body
 * the API sends; `problem` is that body as received, including extra members such as
 * `retryAfterSeconds`.
 */
export class KaifangError extends Error {
  override readonly name = 'KaifangError';
  /** HTTP status of the response. */
  readonly status: number;
  /** Stable machine-readable code (see docs/errors.md for each code and its fix). */
  readonly code: KaifangErrorCode;
  /** Short summary of the problem type; the same for every occurrence of a code. */
  readonly title: string;
  /** What went wrong in this occurrence. */
  readonly detail: string;
  /** The request's X-Request-Id: quote it when reporting a problem. */
  readonly requestId: string | undefined;
  /** One entry per offending input (parameter, body field, CSV line), when the problem concerns inputs. */
  readonly errors: ProblemFieldIssue[] | undefined;
  /** Seconds to wait before retrying, from `Retry-After` (429 and some 503 responses). */
  readonly retryAfterSeconds: number | undefined;
  /** The problem body as received; undefined when the response was not a problem. */
  readonly problem: Problem | undefined;
  /** Response headers (rate-limit headers, `Allow` on 405, ...). */
  readonly headers: Headers;

  constructor(init: {
    status: number;
    code: KaifangErrorCode;
    title: string;
    detail: string;
    requestId?: string;
    errors?: ProblemFieldIssue[];
    retryAfterSeconds?: number;
    problem?: Problem;
    headers?: Headers;
  }) {
    const issues = init.errors?.length ? ` (${init.errors.map((issue) => `${issue.location}: ${issue.message}`).join('; ')})` : '';
    super(`${init.code} (${init.status}): ${init.detail}${issues}${init.requestId ? ` [request ${init.requestId}]` : ''}`);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.errors = init.errors;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.problem = init.problem;
    this.headers = init.headers ?? new Headers();
  }
}

/** The API could not be reached, or the connection failed before a response arrived. */
export class KaifangConnectionError extends Error {
  override readonly name: string = 'KaifangConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No response (or no complete body) within `timeoutMs`. */
export class KaifangTimeoutError extends KaifangConnectionError {
  override readonly name = 'KaifangTimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`The Kaifang API did not answer within ${timeoutMs} ms.`);
    this.timeoutMs = timeoutMs;
  }
}

export function isKaifangError(value: unknown): value is KaifangError {
  return value instanceof KaifangError;
}

function isProblem(value: unknown): value is Problem {
  if (!value || typeof value !== 'object') return false;
  const body = value as Record<string, unknown>;
  return typeof body.code === 'string' && typeof body.status === 'number' && typeof body.title === 'string';
}

/** Seconds from a `Retry-After` header (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, Math.ceil((dateMs - nowMs) / 1000));
}

/** Builds the KaifangError for an error response whose body has been read as text. */
export function errorFromResponse(response: Response, bodyText: string, nowMs: number): KaifangError {
  let parsed: unknown;
  try {
    parsed = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    parsed = undefined;
  }
  const headerRetry = parseRetryAfter(response.headers.get('Retry-After'), nowMs);
  const headerRequestId = response.headers.get('X-Request-Id') ?? undefined;
  if (isProblem(parsed)) {
    const bodyRetry = typeof parsed.retryAfterSeconds === 'number' ? parsed.retryAfterSeconds : undefined;
    return new KaifangError({
      status: response.status,
      code: parsed.code,
      title: parsed.title,
      detail: typeof parsed.detail === 'string' ? parsed.detail : parsed.title,
      requestId: (typeof parsed.requestId === 'string' && parsed.requestId) || headerRequestId,
      errors: Array.isArray(parsed.errors) ? parsed.errors : undefined,
      retryAfterSeconds: headerRetry ?? bodyRetry,
      problem: parsed,
      headers: response.headers,
    });
  }
  const excerpt = bodyText.replace(/\s+/g, ' ').trim().slice(0, 200);
  return new KaifangError({
    status: response.status,
    code: UNEXPECTED_RESPONSE,
    title: response.statusText || `HTTP ${response.status}`,
    detail: `The server answered ${response.status} without a Kaifang problem body${excerpt ? `: ${excerpt}` : '.'}`,
    requestId: headerRequestId,
    retryAfterSeconds: headerRetry,
    headers: response.headers,
  });
}
