import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireApiKey } from '../../src/api/middleware/api-key';
import { createTestApp, type TestApp } from '../helpers/app';
import { keyed, signUp } from './helpers';

// Small limits so a test walks a window to its end; the clock moves, nobody sleeps.
const PLANS = JSON.stringify({ free: { limit: 5, dailyQuota: 8 }, standard: { limit: 50, dailyQuota: 1000 } });
const WINDOW_SECONDS = 3600;

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ KEY_PLANS: PLANS, KEY_RATE_WINDOW_SECONDS: String(WINDOW_SECONDS), IP_RATE_LIMIT: '3', IP_RATE_WINDOW_SECONDS: '60', SIGNUP_RATE_LIMIT: '2', TRUSTED_PROXY_HOPS: '1' });
  t.app.get('/v1/probe/public', (c) => c.json({ ok: true }));
  t.app.get('/v1/probe/data', requireApiKey({ scope: 'data:read' }), (c) => c.json({ ok: true }));
});
afterAll(async () => t.close());

/** The start of the next rate window, so a test starts with a whole window ahead. */
function toNextWindow(windowSeconds = WINDOW_SECONDS) {
  const windowMs = windowSeconds * 1000;
  t.clock.setMs(Math.ceil((t.clock.nowMs() + 1) / windowMs) * windowMs);
}

function headers(response: Response) {
  return {
    policy: response.headers.get('RateLimit-Policy'),
    rateLimit: response.headers.get('RateLimit'),
    limit: response.headers.get('X-RateLimit-Limit'),
    remaining: response.headers.get('X-RateLimit-Remaining'),
    reset: response.headers.get('X-RateLimit-Reset'),
    retryAfter: response.headers.get('Retry-After'),
  };
}

describe('per-key rate limit (memory backend)', () => {
  it('sends headers that follow the limiter state, then a 429 problem with Retry-After', async () => {
    toNextWindow(86_400);
    const dev = await signUp(t);
    const windowStartMs = t.clock.nowMs();
    const dayEndSeconds = windowStartMs / 1000 + 86_400;
    for (let i = 1; i <= 5; i++) {
      t.clock.advanceMs(1000);
      const response = await keyed(t, dev.key, '/v1/probe/data');
      expect(response.status).toBe(200);
      const secondsLeft = WINDOW_SECONDS - i;
      expect(headers(response)).toEqual({
        policy: `"key";q=5;w=3600, "daily";q=8;w=86400`,
        rateLimit: `"key";r=${5 - i};t=${secondsLeft}, "daily";r=${8 - i};t=${86_400 - i}`,
        limit: '5',
        remaining: String(5 - i),
        reset: String(windowStartMs / 1000 + WINDOW_SECONDS),
        retryAfter: null,
      });
    }
    t.clock.advanceMs(1000);
    const refused = await keyed(t, dev.key, '/v1/probe/data');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(headers(refused)).toMatchObject({ remaining: '0', limit: '5', retryAfter: String(WINDOW_SECONDS - 6) });
    const body = await refused.json();
    expect(body).toMatchObject({ code: 'rate_limited', status: 429, retryAfterSeconds: WINDOW_SECONDS - 6 });
    expect(body.detail).toContain('5 requests per 3600 s');

    // A new window admits again, until the daily quota (8) is used: refused requests did not count.
    t.clock.setMs(windowStartMs + WINDOW_SECONDS * 1000);
    for (let i = 0; i < 3; i++) expect((await keyed(t, dev.key, '/v1/probe/data')).status).toBe(200);
    const quota = await keyed(t, dev.key, '/v1/probe/data');
    expect(quota.status).toBe(429);
    expect(headers(quota)).toMatchObject({ remaining: '0', limit: '8', reset: String(dayEndSeconds), retryAfter: String(86_400 - WINDOW_SECONDS) });
    expect((await quota.json()).detail).toContain('"daily"');
  });

  it('counts the daily quota per account, across its keys', async () => {
    toNextWindow(86_400);
    const dev = await signUp(t);
    const second = await (await keyed(t, dev.key, '/v1/keys', { method: 'POST', body: { name: 'b', scopes: ['data:read'] } })).json();
    // That request used one of the 8.
    for (let i = 0; i < 4; i++) expect((await keyed(t, dev.key, '/v1/probe/data')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await keyed(t, second.key, '/v1/probe/data')).status).toBe(200);
    const over = await keyed(t, second.key, '/v1/probe/data');
    expect(over.status).toBe(429);
    expect(headers(over).rateLimit).toMatch(/"daily";r=0/);
  });

  it('applies a new plan at once when an admin sets it', async () => {
    toNextWindow(86_400);
    const dev = await signUp(t);
    expect(headers(await keyed(t, dev.key, '/v1/probe/data')).limit).toBe('5');
    const admin = await t.token({ sub: 'ops', roles: ['admin'] });
    const response = await t.app.request(`/v1/admin/accounts/${dev.accountId}/plan`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ plan: 'standard' }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).plan).toBe('standard');
    expect(headers(await keyed(t, dev.key, '/v1/probe/data')).policy).toBe(`"key";q=50;w=3600, "daily";q=1000;w=86400`);
  });
});

describe('per-IP limits', () => {
  it('limits unkeyed public requests per client IP, with the same headers', async () => {
    toNextWindow(60);
    const from = (ip: string) => t.app.request('/v1/probe/public', { headers: { 'X-Forwarded-For': ip } });
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.7')).status).toBe(200);
    const refused = await from('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(headers(refused)).toMatchObject({ policy: '"ip";q=3;w=60', limit: '3', remaining: '0', retryAfter: '60' });
    // Another client is not affected; nor is the same client after the window.
    expect((await from('203.0.113.8')).status).toBe(200);
    t.clock.advanceMs(60_000);
    expect((await from('203.0.113.7')).status).toBe(200);
  });

  it('takes the client address from the trusted proxy hop, not from what the client prepends', async () => {
    toNextWindow(60);
    const spoofing = (fake: string) => t.app.request('/v1/probe/public', { headers: { 'X-Forwarded-For': `${fake}, 192.0.2.44` } });
    for (let i = 0; i < 3; i++) expect((await spoofing(`10.0.0.${i}`)).status).toBe(200);
    expect((await spoofing('10.0.0.99')).status).toBe(429);
  });

  it('cannot be dodged by sending a junk key: a key, when sent, is verified', async () => {
    const response = await t.app.request('/v1/probe/public', { headers: { 'X-Api-Key': 'junk', 'X-Forwarded-For': '203.0.113.9' } });
    expect(response.status).toBe(401);
  });

  it('limits sign-ups per IP more strictly', async () => {
    toNextWindow(3600);
    const signup = (n: number) =>
      t.app.request('/v1/accounts', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.50' },
        body: JSON.stringify({ name: 'Bot', email: `bot${n}@example.com` }),
      });
    expect((await signup(1)).status).toBe(201);
    expect((await signup(2)).status).toBe(201);
    const refused = await signup(3);
    expect(refused.status).toBe(429);
    expect(headers(refused)).toMatchObject({ policy: '"signup";q=2;w=3600', retryAfter: '3600' });
    expect((await refused.json()).code).toBe('rate_limited');
  });
});
