// needs: postgres
// Two real `kaifang serve` processes share one Postgres: a grant revoked through one is
// refused by the other on the very next request (grants are read from the database on
// every request for conditional data; nothing is cached to invalidate).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, syntheticCreditCode } from '../../src/privacy/synthetic';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../helpers/database';
import { runKaifang, startKaifang, type ServerProcess } from '../helpers/process';
import { AGREEMENT, caseCsv } from './helpers';

describe.runIf(testDatabaseUrl)('grant revocation across two instances sharing Postgres', () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    if (database.target.kind !== 'postgres') throw new Error('expected Postgres');
    // One data directory for both: they must trust the same embedded token signing keys.
    env = { DATABASE_URL: database.target.url, KAIFANG_SECRET: randomBytes(32).toString('hex'), KAIFANG_DATA_DIR: mkdtempSync(join(tmpdir(), 'kaifang-grants-')), USAGE_FLUSH_INTERVAL_MS: '600000' };
    const first = runKaifang(['token', '--sub', 'setup', '--role', 'admin'], env);
    expect(await first.exited).toBe(0);
    [a, b] = await Promise.all([startKaifang(env), startKaifang(env)]);
  }, 120_000);
  afterAll(async () => {
    for (const server of [a, b]) if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await database?.dispose();
  });

  const token = async (...args: string[]) => {
    const run = runKaifang(['token', ...args], env);
    expect(await run.exited).toBe(0);
    return run.stdout().trim();
  };
  const send = (url: string, path: string, auth: string, body?: unknown, contentType = 'application/json') =>
    fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${auth}`, ...(body === undefined ? {} : { 'Content-Type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('refuses on B at once when revoked on A', { timeout: 120_000 }, async () => {
    const [admin, steward, approver] = await Promise.all([
      token('--sub', 'admin.zhou', '--role', 'admin'),
      token('--sub', 'li.na', '--role', 'steward', '--publisher', 'hefei-data-bureau'),
      token('--sub', 'wang.fang', '--role', 'approver', '--publisher', 'hefei-data-bureau'),
    ]);
    expect((await send(a.url, '/v1/admin/publishers', admin, { slug: 'hefei-data-bureau', name: '合肥市数据资源局' })).status).toBe(201);
    const dataset = {
      slug: 'linked-cases', publisher: 'hefei-data-bureau', title: '办件记录', theme: '政务服务', licence: 'CC-BY-4.0', updateFrequency: 'monthly', contact: 'x',
      openTier: 'conditional', dataGrade: 'general', declarations: { 身份证号: { type: 'resident_id', action: 'pseudonymize' } },
    };
    expect((await send(a.url, '/v1/admin/datasets', steward, dataset)).status).toBe(201);
    expect((await send(a.url, '/v1/admin/datasets/linked-cases/versions', steward, caseCsv().csv, 'text/csv')).status).toBe(201);
    expect((await send(a.url, '/v1/admin/datasets/linked-cases/versions/1/submit', steward, {})).status).toBe(200);
    expect((await send(a.url, '/v1/admin/datasets/linked-cases/versions/1/approve', approver, {})).status).toBe(200);

    const signedUp = await (await fetch(`${b.url}/v1/accounts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Grantee', email: 'grantee@example.com' }) })).json();
    const key = signedUp.key.key as string;
    const asked = await (await send(b.url, '/v1/organization-verification', key, { organization: '合肥公交出行科技有限公司', creditCode: syntheticCreditCode(createRng(5)) })).json();
    expect((await send(a.url, `/v1/admin/verifications/${asked.id}/verify`, admin, {})).status).toBe(200);
    const fields = ((await (await fetch(`${b.url}/v1/datasets/linked-cases`)).json()).fields as { name: string }[]).map((field) => field.name);
    const applied = await (await send(b.url, '/v1/applications', key, { dataset: 'linked-cases', purpose: '办件时效研究：按区统计', fields, endsAt: new Date(Date.now() + 86_400_000).toISOString(), acceptedAgreementVersion: AGREEMENT })).json();
    const approved = await (await send(a.url, `/v1/admin/applications/${applied.id}/approve`, steward, {})).json();
    expect(approved.status).toBe('approved');

    expect((await send(b.url, '/v1/datasets/linked-cases/records?limit=1', key)).status).toBe(200);
    expect((await send(a.url, '/v1/datasets/linked-cases/records?limit=1', key)).status).toBe(200);
    expect((await send(a.url, `/v1/admin/grants/${approved.grant.id}/revoke`, steward, { reason: '协议终止' })).status).toBe(200);
    // No waiting: the very next request on the other instance is refused.
    const after = await send(b.url, '/v1/datasets/linked-cases/records?limit=1', key);
    expect(after.status).toBe(403);
    expect((await after.json()).code).toBe('application_required');
    expect((await send(b.url, '/v1/datasets/linked-cases/export', key)).status).toBe(403);

    const verified = await (await send(b.url, '/v1/admin/audit/verify', admin)).json();
    expect(verified).toMatchObject({ ok: true });
  });
});
