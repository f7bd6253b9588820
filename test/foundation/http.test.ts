import type { AddressInfo } from 'node:net';
import { createRoute, z } from '@hono/zod-openapi';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../src/api/middleware/standard-headers';
import { errorResponses, ProblemSchema } from '../../src/api/problem';
import { ERRORS } from '../../src/errors';
import { createTestApp, type TestApp } from '../helpers/app';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ MAX_BODY_BYTES: '2048' });
  // Two probe operations registered the way every real operation is, so the shared
  // validation and error paths can be exercised before the domain routes exist.
  t.app.openapi(
    createRoute({
      method: 'post',
      path: '/probe/echo',
      request: {
        query: z.object({ limit: z.coerce.number().int().max(10) }),
        body: { content: { 'application/json': { schema: z.object({ name: z.string().min(1) }) } } },
      },
      responses: { 200: { description: 'echo', content: { 'application/json': { schema: z.object({ name: z.string() }) } } }, ...errorResponses('validation_failed') },
    }),
    (c) => c.json({ name: c.req.valid('json').name }, 200),
  );
  t.app.get('/v1/probe/own-headers', (c) => c.json({ ok: true }, 200, { 'X-Frame-Options': 'DENY', 'Cache-Control': 'no-store' }));
  t.app.get('/probe/boom', () => {
    throw new Error('secret internal detail at /srv/kaifang/db.ts:42');
  });
});
afterAll(async () => t.close());

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = await response.json();
  expect(ProblemSchema.safeParse(body).success).toBe(true);
  expect(body).toMatchObject({ status, code, type: `urn:kaifang:problem:${code}`, title: ERRORS[code as keyof typeof ERRORS].title });
  expect(body.requestId).toBe(response.headers.get('x-request-id'));
  expect(typeof body.detail).toBe('string');
  return body;
}

describe('problem+json errors', () => {
  it('400 names the offending parameters', async () => {
    const response = await t.app.request('/probe/echo?limit=99', { method: 'POST', body: JSON.stringify({ name: '' }), headers: { 'content-type': 'application/json' } });
    const body = await expectProblem(response, 400, 'validation_failed');
    expect(body.errors.map((e: { location: string }) => e.location)).toEqual(['query.limit']);
    expect(body.detail).toContain('query.limit');
  });

  it('400 for a body field, once the query is valid', async () => {
    const response = await t.app.request('/probe/echo?limit=3', { method: 'POST', body: JSON.stringify({ name: '' }), headers: { 'content-type': 'application/json' } });
    const body = await expectProblem(response, 400, 'validation_failed');
    expect(body.errors[0].location).toBe('body.name');
  });

  it('400 malformed JSON body', async () => {
    const response = await t.app.request('/probe/echo?limit=3', { method: 'POST', body: '{"name":', headers: { 'content-type': 'application/json' } });
    await expectProblem(response, 400, 'malformed_body');
  });

  it('401 without a token on an admin route', async () => {
    await expectProblem(await t.app.request('/v1/admin/whoami'), 401, 'unauthorized');
  });

  it('403 for a token without a known role', async () => {
    const { SignJWT } = await import('jose');
    const { EMBEDDED_AUDIENCE, EMBEDDED_ISSUER } = await import('../../src/auth/signing-keys');
    const token = await new SignJWT({ roles: ['superuser'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('mallory')
      .setIssuer(EMBEDDED_ISSUER)
      .setAudience(EMBEDDED_AUDIENCE)
      .setIssuedAt(Math.floor(t.clock.nowMs() / 1000))
      .setExpirationTime(Math.floor(t.clock.nowMs() / 1000) + 600)
      .sign(t.signingKeys.privateKey);
    await expectProblem(await t.app.request('/v1/admin/whoami', { headers: { authorization: `Bearer ${token}` } }), 403, 'forbidden');
  });

  it('404 for an unknown path', async () => {
    const body = await expectProblem(await t.app.request('/v1/nothing-here'), 404, 'not_found');
    expect(body.instance).toBe('/v1/nothing-here');
  });

  it('405 with Allow for a known path and a wrong method', async () => {
    const response = await t.app.request('/healthz', { method: 'DELETE' });
    await expectProblem(response, 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('413 for a body over the limit', async () => {
    const response = await t.app.request('/probe/echo?limit=3', {
      method: 'POST',
      body: JSON.stringify({ name: 'x'.repeat(4096) }),
      headers: { 'content-type': 'application/json' },
    });
    await expectProblem(response, 413, 'payload_too_large');
  });

  it('500 hides the internal error and logs it with the request id', async () => {
    const response = await t.app.request('/probe/boom');
    const body = await expectProblem(response, 500, 'internal_error');
    const text = JSON.stringify(body);
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    const logged = t.logLines.find((line) => line.includes('unhandled error') && line.includes(body.requestId));
    expect(logged).toBeDefined();
  });
});

describe('request ids', () => {
  it('generates one per response', async () => {
    const first = (await t.app.request('/healthz')).headers.get('x-request-id');
    const second = (await t.app.request('/healthz')).headers.get('x-request-id');
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
  });

  it('keeps a sane incoming id and replaces an unsafe one', async () => {
    const kept = await t.app.request('/healthz', { headers: { 'x-request-id': 'client-trace_42' } });
    expect(kept.headers.get('x-request-id')).toBe('client-trace_42');
    const replaced = await t.app.request('/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const tooLong = await t.app.request('/healthz', { headers: { 'x-request-id': 'a'.repeat(500) } });
    expect(tooLong.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('operations endpoints', () => {
  it('healthz answers ok', async () => {
    const response = await t.app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('sets secure headers and open CORS on public GETs', async () => {
    const response = await t.app.request('/v1/anything', { headers: { origin: 'https://example.org' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const admin = await t.app.request('/v1/admin/whoami', { headers: { origin: 'https://example.org' } });
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets browser clients read public answers and their headers, errors included', async () => {
    for (const [path, status] of [['/v1/datasets', 200], ['/v1/datasets/no-such-dataset', 404]] as const) {
      const response = await t.app.request(path, { headers: { origin: 'https://example.org' } });
      expect(response.status).toBe(status);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const exposed = response.headers.get('access-control-expose-headers')?.split(',') ?? [];
      expect(exposed).toEqual(expect.arrayContaining(['X-Request-Id', 'Link', 'RateLimit', 'RateLimit-Policy', 'Retry-After']));
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('writes one JSON log line per request without the query string', async () => {
    const before = t.logLines.length;
    await t.app.request('/healthz?apiKey=should-not-be-logged', { headers: { 'x-request-id': 'log-line-probe' } });
    const lines = t.logLines.slice(before).filter((line) => line.includes('log-line-probe'));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ msg: 'request', method: 'GET', path: '/healthz', route: '/healthz', status: 200, requestId: 'log-line-probe' });
    expect(typeof entry.durationMs).toBe('number');
    expect(lines[0]).not.toContain('should-not-be-logged');
  });

  it('exposes Prometheus counts and latency by route and status', async () => {
    await t.app.request('/healthz');
    await t.app.request('/nowhere');
    const response = await t.app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/kaifang_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(text).toMatch(/kaifang_http_requests_total\{method="GET",route="unmatched",status="404"\} \d+/);
    expect(text).toContain('kaifang_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/healthz",status="200"}');
  });
});

describe('answer headers over HTTP', () => {
  // Served by @hono/node-server, the standard headers go on Node's ServerResponse rather
  // than on the Hono response (src/api/answer-headers.ts): the same headers must arrive.
  let server: ServerType;
  let baseUrl: string;
  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
  });

  it('are the headers hono/secure-headers would set', async () => {
    const reference = new Hono().use(secureHeaders({ crossOriginResourcePolicy: 'cross-origin' })).get('/', (c) => c.body(null, 204));
    const expected = Object.fromEntries([...(await reference.request('/')).headers]);
    expect(Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([name, value]) => [name.toLowerCase(), value]))).toEqual(expected);
  });

  it('reach the client on answers, errors and preflights alike', async () => {
    for (const [path, status] of [['/healthz', 200], ['/v1/datasets', 200], ['/v1/datasets/no-such-dataset', 404], ['/probe/boom', 500]] as const) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { origin: 'https://example.org' } });
      await response.arrayBuffer();
      expect(response.status).toBe(status);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers.get(name), `${name} on ${path}`).toBe(value);
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('access-control-allow-origin')).toBe(path.startsWith('/v1/') ? '*' : null);
    }
    const kept = await fetch(`${baseUrl}/healthz`, { headers: { 'x-request-id': 'client-trace_42' } });
    expect(kept.headers.get('x-request-id')).toBe('client-trace_42');
    const problem = await fetch(`${baseUrl}/v1/datasets/no-such-dataset`);
    expect((await problem.json()).requestId).toBe(problem.headers.get('x-request-id'));
    // Unkeyed public requests are limited per IP, and say so.
    expect(problem.headers.get('ratelimit-policy')).toContain('q=');
    const preflight = await fetch(`${baseUrl}/v1/datasets`, { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' } });
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    expect(preflight.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("leave steward routes without CORS and let an answer's own header win", async () => {
    const admin = await fetch(`${baseUrl}/v1/admin/whoami`, { headers: { origin: 'https://example.org' } });
    await admin.arrayBuffer();
    expect(admin.status).toBe(401);
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
    expect(admin.headers.get('x-content-type-options')).toBe('nosniff');
    const own = await fetch(`${baseUrl}/v1/probe/own-headers`);
    await own.arrayBuffer();
    expect(own.headers.get('x-frame-options')).toBe('DENY');
    expect(own.headers.get('cache-control')).toBe('no-store');
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
