// needs: postgres, redis
// Two real `kaifang serve` processes on different ports share one Postgres and one Redis.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../helpers/database';
import { startKaifang, type ServerProcess } from '../helpers/process';

const redisUrl = process.env.TEST_REDIS_URL;
const LIMIT = 20;
const REQUESTS = 80;

describe.runIf(testDatabaseUrl && redisUrl)('two instances sharing Postgres and Redis', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    if (database.target.kind !== 'postgres') throw new Error('expected Postgres');
    const env = {
      DATABASE_URL: database.target.url,
      KAIFANG_SECRET: randomBytes(32).toString('hex'),
      REDIS_URL: redisUrl!,
      REDIS_KEY_PREFIX: `kaifang-mi-${randomBytes(4).toString('hex')}:`,
      // A day-long window, so the test cannot straddle a window boundary in practice.
      KEY_PLANS: JSON.stringify({ free: { limit: LIMIT, dailyQuota: 10_000 } }),
      KEY_RATE_WINDOW_SECONDS: '86400',
      RATE_LIMIT_REDIS_FAILURE: 'closed',
      USAGE_FLUSH_INTERVAL_MS: '600000',
    };
    [a, b] = await Promise.all([
      startKaifang({ ...env, KAIFANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'kaifang-a-')) }),
      startKaifang({ ...env, KAIFANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'kaifang-b-')) }),
    ]);
  });
  afterAll(async () => {
    for (const server of [a, b]) if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await database?.dispose();
  });

  const signUp = async (url: string, email: string) => {
    const response = await fetch(`${url}/v1/accounts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Multi', email }) });
    expect(response.status).toBe(201);
    return (await response.json()) as { account: { id: string }; key: { key: string; id: string } };
  };

  it('admits no more than the limit overall, spreads revocations within a second, and adds usage up', async () => {
    expect(a.url).not.toBe(b.url);
    // 1. Concurrent load on both instances with one key.
    const loaded = await signUp(a.url, 'load@example.com');
    const statuses = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => fetch(`${(i % 2 ? b : a).url}/v1/keys`, { headers: { Authorization: `Bearer ${loaded.key.key}` } }).then((r) => r.status)),
    );
    const admitted = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(admitted).toBeLessThanOrEqual(LIMIT);
    expect(admitted).toBeGreaterThan(0);

    // 2. A key revoked through A is refused by B within a second.
    const other = await signUp(b.url, 'revoke@example.com');
    const created = await fetch(`${a.url}/v1/keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${other.key.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'doomed', scopes: ['keys:manage'] }),
    });
    const doomed = (await created.json()) as { id: string; key: string };
    expect((await fetch(`${b.url}/v1/keys`, { headers: { 'X-Api-Key': doomed.key } })).status).toBe(200);
    expect((await fetch(`${a.url}/v1/keys/${doomed.id}`, { method: 'DELETE', headers: { 'X-Api-Key': other.key.key } })).status).toBe(204);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 1000) {
      status = (await fetch(`${b.url}/v1/keys`, { headers: { 'X-Api-Key': doomed.key } })).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe(401);

    // 3. Graceful shutdown flushes each instance's usage; together they add up.
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    const sql = postgres(database.target.kind === 'postgres' ? database.target.url : '', { max: 1 });
    try {
      const [row] = await sql<{ requests: number; errors: number }[]>`
        select sum(requests)::int as requests, sum(errors)::int as errors from key_usage where account_id = ${loaded.account.id}`;
      expect(row).toEqual({ requests: REQUESTS, errors: REQUESTS - admitted });
    } finally {
      await sql.end();
    }
  });
});
