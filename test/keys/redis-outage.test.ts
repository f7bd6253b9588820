// Redis set but unreachable: the configured failure mode applies. No Redis is needed:
// the URL points at a port nothing listens on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireApiKey } from '../../src/api/middleware/api-key';
import { createTestApp, type TestApp } from '../helpers/app';
import { keyed, signUp } from './helpers';

const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';

describe('Redis unreachable, RATE_LIMIT_REDIS_FAILURE=local', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: UNREACHABLE_REDIS, RATE_LIMIT_REDIS_FAILURE: 'local', KEY_PLANS: JSON.stringify({ free: { limit: 2, dailyQuota: 100 } }) });
    t.app.get('/v1/probe/data', requireApiKey({ scope: 'data:read' }), (c) => c.json({ ok: true }));
  });
  afterAll(async () => t.close());

  it('keeps serving with per-instance limits and says so in the log', async () => {
    const dev = await signUp(t);
    expect(t.deps.keys.limiter.kind).toBe('redis');
    const first = await keyed(t, dev.key, '/v1/probe/data');
    expect(first.status).toBe(200);
    expect(first.headers.get('X-RateLimit-Limit')).toBe('2');
    // Per-instance counters still limit.
    expect((await keyed(t, dev.key, '/v1/probe/data')).status).toBe(200);
    expect((await keyed(t, dev.key, '/v1/probe/data')).status).toBe(429);
    expect(t.logLines.some((line) => line.includes('Redis rate limiting unavailable'))).toBe(true);
    // Revocations cannot be heard, so the key cache is not trusted: verification reads the database.
    expect(t.deps.keys.bus.connected()).toBe(false);
  });
});

describe('Redis unreachable, RATE_LIMIT_REDIS_FAILURE=closed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: UNREACHABLE_REDIS, RATE_LIMIT_REDIS_FAILURE: 'closed' });
    t.app.get('/v1/probe/data', requireApiKey({ scope: 'data:read' }), (c) => c.json({ ok: true }));
    t.app.get('/v1/probe/public', (c) => c.json({ ok: true }));
  });
  afterAll(async () => t.close());

  it('refuses limited requests with a 503 problem and Retry-After, keyed or not', async () => {
    const signup = await t.app.request('/v1/accounts', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'A', email: 'a@example.com' }) });
    expect(signup.status).toBe(503);
    expect(signup.headers.get('Retry-After')).toBe('1');
    expect((await signup.json()).code).toBe('rate_limiter_unavailable');
    const anonymous = await t.app.request('/v1/probe/public');
    expect(anonymous.status).toBe(503);
    // Ops endpoints are not rate limited and keep answering.
    expect((await t.app.request('/healthz')).status).toBe(200);
  });
});
