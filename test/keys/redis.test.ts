// needs: redis
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireApiKey } from '../../src/api/middleware/api-key';
import { createLogger } from '../../src/logger';
import { createKeysRuntime, type KeysRuntime } from '../../src/keys/runtime';
import { redisRateLimiter } from '../../src/keys/rate-limiter';
import { createTestApp, type TestApp } from '../helpers/app';
import { keyed, signUp } from './helpers';

const redisUrl = process.env.TEST_REDIS_URL;

describe.runIf(redisUrl)('Redis backend', () => {
  const prefix = `kaifang-test-${randomBytes(4).toString('hex')}:`;
  let t: TestApp;
  let peer: KeysRuntime;
  const connections: Redis[] = [];

  beforeAll(async () => {
    // A set but unreachable TEST_REDIS_URL fails here rather than skipping.
    const probe = new Redis(redisUrl!, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
    await probe.connect();
    expect(await probe.ping()).toBe('PONG');
    connections.push(probe);
    t = await createTestApp({ REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: prefix, KEY_PLANS: JSON.stringify({ free: { limit: 3, dailyQuota: 100 } }), SIGNUP_RATE_LIMIT: '100' });
    t.app.get('/v1/probe/data', requireApiKey({ scope: 'data:read' }), (c) => c.json({ ok: true }));
    // A second instance's key services on the same database and Redis.
    peer = await createKeysRuntime({ config: t.deps.config.keys, redisUrl, db: t.deps.db, clock: t.clock, logger: createLogger('silent'), registry: new (await import('prom-client')).Registry() });
  });
  afterAll(async () => {
    await peer?.close();
    await t?.close();
    for (const connection of connections) connection.disconnect();
  });

  it('never admits more than the limit across concurrent instances (atomic script)', async () => {
    const limiters = Array.from({ length: 4 }, () => {
      const connection = new Redis(redisUrl!);
      connections.push(connection);
      return redisRateLimiter(connection, { prefix, timeoutMs: 2000, failure: 'closed', logger: createLogger('silent') });
    });
    const nowMs = Date.parse('2026-03-01T08:30:00Z');
    const checks = [
      { name: 'atomic-test', policy: 'key', limit: 30, windowSeconds: 3600 },
      { name: 'atomic-test:day', policy: 'daily', limit: 1000, windowSeconds: 86_400 },
    ];
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => limiters[i % limiters.length]!.consume(checks, nowMs)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(30);
    expect(decisions.every((d) => d.store === 'redis')).toBe(true);
    // Refused requests did not count against the daily quota.
    const after = await limiters[0]!.consume([{ ...checks[1]!, limit: 31 }], nowMs);
    expect(after).toMatchObject({ allowed: true, states: [{ remaining: 0 }] });
  });

  it('sends headers from the shared counters and refuses with 429', async () => {
    const dev = await signUp(t);
    const windowMs = 3_600_000;
    t.clock.setMs(Math.ceil((t.clock.nowMs() + 1) / windowMs) * windowMs);
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) remaining.push((await keyed(t, dev.key, '/v1/probe/data')).headers.get('X-RateLimit-Remaining'));
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await keyed(t, dev.key, '/v1/probe/data');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('3600');
    expect(t.deps.keys.limiter.kind).toBe('redis');
  });

  it('broadcasts a revocation to another instance through Redis pub/sub within a second', async () => {
    expect(peer.bus.transport).toBe('redis');
    const dev = await signUp(t);
    await peer.verifier.verify(dev.key);
    expect(peer.verifier.cacheSize()).toBeGreaterThan(0);
    expect((await keyed(t, dev.key, `/v1/keys/${dev.keyId}`, { method: 'DELETE' })).status).toBe(204);
    const deadline = Date.now() + 1000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      refused = await peer.verifier.verify(dev.key).then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refused).toBe(true);
  });
});
