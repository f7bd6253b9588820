// Headers a middleware decides before the handler runs and every answer must carry,
// errors included: security headers, X-Request-Id, CORS, rate-limit state.
//
// Why not Hono's `c.header()` or `c.res.headers.set()`: either turns the answer's headers
// into a WHATWG Headers object (undici validates every name and value on each set), and
// setting them after the handler also makes Hono copy the whole response. Served by
// @hono/node-server, an answer whose headers stay a plain object is written straight to
// Node's ServerResponse. So when the request came through Node, these headers are set on
// that ServerResponse, whose writeHead merges them with the answer's own (the answer's win
// on a clash). Together with the CORS and security headers this was about 8% of a
// records request's CPU (bench/records.ts profile, docs/benchmarks.md).
//
// Without Node (app.request in tests, another runtime) they go to Hono's prepared headers,
// which every answer built with c.body/c.json/c.text includes.
import { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** Sets headers on whatever answer this request gets. Call it before the handler runs (before `await next()`). */
export function setAnswerHeaders(c: Context, headers: Readonly<Record<string, string>>): void {
  const outgoing = nodeResponse(c);
  if (outgoing) {
    for (const name in headers) outgoing.setHeader(name, headers[name]!);
    return;
  }
  for (const name in headers) c.header(name, headers[name]);
}

/** Node's response when @hono/node-server serves the request (its bindings carry it) and nothing has been written yet. */
function nodeResponse(c: Context): ServerResponse | undefined {
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing instanceof ServerResponse && !outgoing.headersSent ? outgoing : undefined;
}

/**
 * An answer of bytes with its Content-Type and other headers. Hono keeps an answer's
 * headers a plain object only when there is a single one, so the others go through
 * setAnswerHeaders: on the hot data routes that spares a WHATWG Headers per answer.
 */
export function bytesAnswer(c: Context, status: 200, body: Uint8Array, contentType: string, headers: Readonly<Record<string, string>> = {}): Response {
  setAnswerHeaders(c, headers);
  return c.body(body as Uint8Array<ArrayBuffer>, status, { 'Content-Type': contentType });
}
