import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { KaifangError, isKaifangError } from '../errors';
import type { AppEnv } from './context';
import { problemResponse } from './problem';

/**
 * The single place a thrown error becomes an HTTP answer. Domain errors keep their
 * code; anything unexpected is logged with the request id and answered as a bare 500
 * problem, never with a stack trace or an internal message.
 */
export function onError(error: Error, c: Context<AppEnv>): Response {
  if (isKaifangError(error)) {
    const headers: Record<string, string> = {};
    const retryAfterSeconds = error.extras?.retryAfterSeconds;
    if (typeof retryAfterSeconds === 'number') headers['Retry-After'] = String(retryAfterSeconds);
    return problemResponse(c, error, headers);
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Raised by Hono's own validators, for example on a body that is not valid JSON.
    const code = error.status === 413 ? 'payload_too_large' : error.status === 415 ? 'unsupported_media_type' : 'malformed_body';
    return problemResponse(c, new KaifangError(code, error.message || undefined));
  }
  c.var.deps?.logger.error({ err: error, requestId: c.var.requestId, method: c.req.method, path: c.req.path }, 'unhandled error');
  return problemResponse(c, new KaifangError('internal_error', 'An unexpected error occurred. Quote the requestId when reporting it.'));
}
