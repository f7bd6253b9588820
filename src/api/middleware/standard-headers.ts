import type { MiddlewareHandler } from 'hono';
import { setAnswerHeaders } from '../answer-headers';
import type { AppEnv } from '../context';

/**
 * The security headers hono/secure-headers sets by default, with Cross-Origin-Resource-Policy
 * relaxed so that pages on other origins may read the open data. Written out because they
 * are set through setAnswerHeaders (see answer-headers.ts); a test checks that this list
 * still matches what that middleware would set.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=15552000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

// An incoming X-Request-Id is kept when it is short and plain, so a caller can correlate
// its own logs; anything else is replaced by a fresh UUID.
const REQUEST_ID_MAX_CHARS = 128;
const PLAIN_REQUEST_ID = /^[\w\-=]+$/;

/**
 * Gives every request an id (the `requestId` variable) and every answer that id and the
 * security headers. An answer that sets one of these headers itself keeps its own value
 * (hono/secure-headers overwrote it); only /docs sets one, its Content-Security-Policy,
 * which is not in this list. A handler must not weaken the others.
 */
export function standardHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header('X-Request-Id');
    const requestId = incoming !== undefined && incoming.length <= REQUEST_ID_MAX_CHARS && PLAIN_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    setAnswerHeaders(c, SECURITY_HEADERS);
    setAnswerHeaders(c, { 'X-Request-Id': requestId });
    await next();
  };
}
