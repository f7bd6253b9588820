import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordUsage, requireApiKey } from '../../src/api/middleware/api-key';
import { createTestApp, type TestApp } from '../helpers/app';
import { keyed, signUp } from './helpers';

let t: TestApp;

beforeAll(async () => {
  // A long flush interval: the test decides when usage is written.
  t = await createTestApp({ USAGE_FLUSH_INTERVAL_MS: '600000', SIGNUP_RATE_LIMIT: '100' });
  t.app.get('/v1/probe/datasets/:id/records', requireApiKey({ scope: 'data:read' }), (c) => {
    const body = JSON.stringify({ data: [1, 2, 3] });
    recordUsage(c, { rows: 3, bytes: body.length, datasetId: c.req.param('id') });
    return c.body(body, 200, { 'Content-Type': 'application/json' });
  });
  t.app.get('/v1/probe/fail', requireApiKey({ scope: 'data:read' }), () => {
    throw new Error('boom');
  });
});
afterAll(async () => t.close());

const usageRows = () => t.deps.db.rows<{ n: number }>(sql`select count(*)::int as n from key_usage`).then(([row]) => row!.n);

describe('usage metering', () => {
  it('counts in memory, writes nothing per request, and reports per key, hour, route and dataset', async () => {
    const dev = await signUp(t);
    const before = await usageRows();
    for (let i = 0; i < 4; i++) expect((await keyed(t, dev.key, '/v1/probe/datasets/bus-stops/records')).status).toBe(200);
    expect((await keyed(t, dev.key, '/v1/probe/datasets/parks/records')).status).toBe(200);
    expect((await keyed(t, dev.key, '/v1/probe/fail')).status).toBe(500);
    expect(await usageRows()).toBe(before);
    expect(t.deps.keys.meter.pending()).toBeGreaterThanOrEqual(3);

    const report = await (await keyed(t, dev.key, '/v1/usage')).json();
    const hour = new Date(Math.floor(t.clock.nowMs() / 3_600_000) * 3_600_000).toISOString();
    const bytes = JSON.stringify({ data: [1, 2, 3] }).length;
    expect(report.accountId).toBe(dev.accountId);
    expect(report.usage).toEqual(
      expect.arrayContaining([
        { keyId: dev.keyId, hour, route: '/v1/probe/datasets/:id/records', datasetId: 'bus-stops', requests: 4, rows: 12, bytes: 4 * bytes, errors: 0 },
        { keyId: dev.keyId, hour, route: '/v1/probe/datasets/:id/records', datasetId: 'parks', requests: 1, rows: 3, bytes, errors: 0 },
        { keyId: dev.keyId, hour, route: '/v1/probe/fail', datasetId: null, requests: 1, rows: 0, bytes: 0, errors: 1 },
      ]),
    );
    expect(report.totals).toMatchObject({ requests: 6, rows: 15, errors: 1 });
  });

  it('adds up across flushes and hours, and shows a developer only their own account', async () => {
    const dev = await signUp(t);
    const other = await signUp(t);
    await keyed(t, dev.key, '/v1/probe/datasets/a/records');
    await t.deps.keys.meter.flush();
    await keyed(t, dev.key, '/v1/probe/datasets/a/records');
    await keyed(t, other.key, '/v1/probe/datasets/a/records');
    t.clock.advanceMs(3_600_000);
    await keyed(t, dev.key, '/v1/probe/datasets/a/records');
    const report = await (await keyed(t, dev.key, '/v1/usage')).json();
    const rows = report.usage.filter((row: { route: string }) => row.route === '/v1/probe/datasets/:id/records');
    expect(rows.map((row: { requests: number }) => row.requests)).toEqual([2, 1]);
    expect(report.usage.every((row: { keyId: string }) => row.keyId === dev.keyId)).toBe(true);
    // Another account's key id as a filter finds nothing.
    const filtered = await (await keyed(t, dev.key, `/v1/usage?keyId=${other.keyId}`)).json();
    expect(filtered.usage).toEqual([]);
  });

  it('lets admins read any account and refuses everyone else', async () => {
    const dev = await signUp(t);
    await keyed(t, dev.key, '/v1/probe/datasets/x/records');
    const admin = await t.token({ sub: 'ops', roles: ['admin'] });
    const steward = await t.token({ sub: 'li.na', roles: ['steward'], publisher: 'hefei-data-bureau' });
    const path = `/v1/admin/accounts/${dev.accountId}/usage`;
    const ok = await t.app.request(path, { headers: { Authorization: `Bearer ${admin}` } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).totals.requests).toBe(1);
    expect((await t.app.request(path, { headers: { Authorization: `Bearer ${steward}` } })).status).toBe(403);
    expect((await t.app.request(path)).status).toBe(401);
    // A developer key is not a steward token.
    expect((await t.app.request(path, { headers: { Authorization: `Bearer ${dev.key}` } })).status).toBe(401);
  });

  it('keeps counts when a flush fails and writes them with the next one', async () => {
    const dev = await signUp(t);
    await keyed(t, dev.key, '/v1/probe/datasets/kept/records');
    const db = t.deps.db;
    await db.rows(sql`alter table key_usage rename to key_usage_away`);
    await expect(t.deps.keys.meter.flush()).rejects.toThrow();
    await db.rows(sql`alter table key_usage_away rename to key_usage`);
    await t.deps.keys.meter.flush();
    const [row] = await db.rows<{ requests: number }>(sql`select requests::int as requests from key_usage where key_id = ${dev.keyId} and dataset_id = 'kept'`);
    expect(row?.requests).toBe(1);
  });
});

describe('usage on shutdown', () => {
  it('flushes what is pending when the keys runtime closes', async () => {
    const other = await createTestApp({ USAGE_FLUSH_INTERVAL_MS: '600000' });
    try {
      other.app.get('/v1/probe/data', requireApiKey({ scope: 'data:read' }), (c) => c.json({ ok: true }));
      const dev = await signUp(other);
      for (let i = 0; i < 7; i++) await keyed(other, dev.key, '/v1/probe/data');
      const [before] = await other.deps.db.rows<{ n: number }>(sql`select count(*)::int as n from key_usage`);
      expect(before!.n).toBe(0);
      await other.deps.keys.close();
      const [after] = await other.deps.db.rows<{ requests: number }>(sql`select sum(requests)::int as requests from key_usage where key_id = ${dev.keyId}`);
      expect(after!.requests).toBe(7);
    } finally {
      await other.close();
    }
  });
});
