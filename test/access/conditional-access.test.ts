import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, syntheticCreditCode } from '../../src/privacy/synthetic';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, PUBLISHER, setUpStewards, type Stewards } from '../helpers/admin';
import { keyed, signUp, type SignedUp } from '../keys/helpers';
import { apply, caseCsv, publishConditional, verifiedDeveloper } from './helpers';

let t: TestApp;
let tokens: Stewards;
let names: Record<string, string>;
let otherNames: Record<string, string>;
let residentIds: string[];
const DAY_MS = 86_400_000;

beforeAll(async () => {
  t = await createTestApp({ IP_RATE_LIMIT: '100000', SIGNUP_RATE_LIMIT: '100000', KEY_PLANS: JSON.stringify({ free: { limit: 100000, dailyQuota: 1000000 } }) });
  tokens = await setUpStewards(t);
  const cases = caseCsv();
  residentIds = cases.residentIds;
  names = await publishConditional(t, tokens, 'linked-cases', cases.csv);
  // The same people in a second conditional dataset: pseudonyms must not link across datasets.
  otherNames = await publishConditional(t, tokens, 'linked-cases-2', cases.csv);
}, 120_000);
afterAll(async () => t.close());

const iso = (ms: number) => new Date(ms).toISOString();

describe('organisation verification', () => {
  it('checks the credit code, and only admins decide', async () => {
    const dev = await signUp(t);
    const bad = await keyed(t, dev.key, '/v1/organization-verification', { method: 'POST', body: { organization: '某公司', creditCode: '91340100MA2N0KXX4A' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].location).toBe('body.creditCode');
    expect((await keyed(t, dev.key, '/v1/organization-verification')).status).toBe(404);
    const creditCode = syntheticCreditCode(createRng(99));
    // Written with spaces, lower case and full-width characters: normalised before the check.
    const written = `${creditCode.slice(0, 6)} ${creditCode.slice(6).toLowerCase()}`.replace(/[0-9]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));
    const asked = await keyed(t, dev.key, '/v1/organization-verification', { method: 'POST', body: { organization: '合肥公交出行科技有限公司', creditCode: written } });
    expect(asked.status).toBe(201);
    const { id, creditCode: stored } = await asked.json();
    expect(stored).toBe(creditCode);
    expect((await keyed(t, dev.key, '/v1/organization-verification', { method: 'POST', body: { organization: 'x公司', creditCode } })).status).toBe(409);
    expect((await call(t, tokens.steward, 'POST', `/v1/admin/verifications/${id}/verify`)).status).toBe(403);
    const listed = await (await call(t, tokens.admin, 'GET', '/v1/admin/verifications')).json();
    expect(listed.data.map((row: { id: string }) => row.id)).toContain(id);
    const rejected = await call(t, tokens.admin, 'POST', `/v1/admin/verifications/${id}/reject`, { reason: '信用代码与名称不符' });
    expect((await rejected.json()).status).toBe('rejected');
    expect((await (await keyed(t, dev.key, '/v1/organization-verification')).json()).status).toBe('rejected');
  });
});

describe('applications', () => {
  it('only verified organisations may apply, with the current agreement and real fields', async () => {
    const unverified = await signUp(t);
    const refused = await apply(t, unverified.key, { dataset: 'linked-cases', fields: [names['所在区']], endsAt: iso(t.clock.nowMs() + 30 * DAY_MS) });
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe('organization_not_verified');

    const dev = await verifiedDeveloper(t, tokens.admin);
    const endsAt = iso(t.clock.nowMs() + 30 * DAY_MS);
    expect((await apply(t, dev.key, { dataset: 'linked-cases', fields: [names['所在区']], endsAt, acceptedAgreementVersion: 'dua-1999' })).status).toBe(400);
    expect((await apply(t, dev.key, { dataset: 'linked-cases', fields: ['c99'], endsAt })).status).toBe(400);
    expect((await apply(t, dev.key, { dataset: 'linked-cases', fields: [names['所在区']], endsAt: iso(t.clock.nowMs() - 1) })).status).toBe(400);
    const noScope = (await (await keyed(t, dev.key, '/v1/keys', { method: 'POST', body: { name: 'reader', scopes: ['data:read'] } })).json()).key;
    expect((await apply(t, noScope, { dataset: 'linked-cases', fields: [names['所在区']], endsAt })).status).toBe(403);

    const applied = await apply(t, dev.key, { dataset: 'linked-cases', fields: [names['所在区']], endsAt });
    expect(applied.status).toBe(201);
    expect(await applied.json()).toMatchObject({ status: 'pending', acceptedAgreementVersion: 'dua-2026-03', dataset: { slug: 'linked-cases', publisher: PUBLISHER }, grant: null });
    expect((await apply(t, dev.key, { dataset: 'linked-cases', fields: [names['所在区']], endsAt })).status).toBe(409);
    const own = await (await keyed(t, dev.key, '/v1/applications')).json();
    expect(own.data).toHaveLength(1);
    const [stored] = await t.database.db.rows<{ agreement_sha256: string }>(sql`select agreement_sha256 from access_applications where id = ${own.data[0].id}`);
    expect(stored!.agreement_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("another publisher's steward neither sees nor decides; the applicant's own steward identity cannot approve", async () => {
    const dev = await verifiedDeveloper(t, tokens.admin, `li.lei-${Date.now()}@hefei.gov.example`);
    const { id } = await (await apply(t, dev.key, { dataset: 'linked-cases', fields: [names['所在区']], endsAt: iso(t.clock.nowMs() + DAY_MS) })).json();
    const foreign = await (await call(t, tokens.foreignSteward, 'GET', '/v1/admin/applications')).json();
    expect(foreign.data.map((row: { id: string }) => row.id)).not.toContain(id);
    expect((await call(t, tokens.foreignSteward, 'POST', `/v1/admin/applications/${id}/approve`)).status).toBe(404);
    const own = await (await call(t, tokens.steward, 'GET', '/v1/admin/applications')).json();
    expect(own.data.map((row: { id: string }) => row.id)).toContain(id);

    const email = (await t.database.db.rows<{ email: string }>(sql`select email from developer_accounts where id = ${dev.accountId}`))[0]!.email;
    const self = await t.token({ sub: email.toUpperCase(), roles: ['steward'], publisher: PUBLISHER });
    const refused = await call(t, self, 'POST', `/v1/admin/applications/${id}/approve`);
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe('conflict_of_interest');
    expect((await call(t, self, 'POST', `/v1/admin/applications/${id}/reject`, { reason: 'x' })).status).toBe(403);
    // A colleague can decide.
    const rejected = await call(t, tokens.otherSteward, 'POST', `/v1/admin/applications/${id}/reject`, { reason: '用途不明确' });
    expect(await rejected.json()).toMatchObject({ status: 'rejected', decisionReason: '用途不明确' });
    expect((await call(t, tokens.steward, 'POST', `/v1/admin/applications/${id}/approve`)).status).toBe(409);
  });
});

describe('grants', () => {
  let dev: SignedUp;
  let grant: { id: string; endsAt: string };
  const granted = () => [names['办件编号']!, names['身份证号']!, names['所在区']!];

  it('refuse data before approval, then open the granted fields only, narrowed by the steward', async () => {
    dev = await verifiedDeveloper(t, tokens.admin);
    const requestedEnd = t.clock.nowMs() + 90 * DAY_MS;
    const { id } = await (await apply(t, dev.key, { dataset: 'linked-cases', fields: Object.values(names), endsAt: iso(requestedEnd) })).json();
    const before = await keyed(t, dev.key, '/v1/datasets/linked-cases/records');
    expect(before.status).toBe(403);
    expect((await before.json()).code).toBe('application_required');

    // Approval may only narrow.
    expect((await call(t, tokens.approver, 'POST', `/v1/admin/applications/${id}/approve`, { endsAt: iso(requestedEnd + DAY_MS) })).status).toBe(400);
    const narrowEnd = t.clock.nowMs() + 10 * DAY_MS;
    const approved = await call(t, tokens.approver, 'POST', `/v1/admin/applications/${id}/approve`, { fields: granted(), endsAt: iso(narrowEnd) });
    expect(approved.status, await approved.clone().text()).toBe(200);
    const body = await approved.json();
    expect(body).toMatchObject({ status: 'approved', grant: { fields: granted(), endsAt: iso(narrowEnd), status: 'active' } });
    grant = body.grant;

    const records = await (await keyed(t, dev.key, '/v1/datasets/linked-cases/records?limit=100')).json();
    expect(records.data).toHaveLength(30);
    for (const row of records.data) expect(Object.keys(row).sort()).toEqual(granted().sort());
    const days = names['办理天数']!;
    for (const path of [`records?select=${days}`, `records?${days}=eq.3`, `records?order=${days}`, `aggregate?metrics=sum(${days})`, `export?select=${days}`]) {
      const refused = await keyed(t, dev.key, `/v1/datasets/linked-cases/${path}`);
      expect(refused.status, path).toBe(400);
    }
    const csv = await (await keyed(t, dev.key, '/v1/datasets/linked-cases/export?format=csv')).text();
    expect(csv.split('\n')[0]!.split(',').sort()).toEqual(granted().sort());
    expect(csv.trim().split('\n')).toHaveLength(31);
    const aggregate = await keyed(t, dev.key, `/v1/datasets/linked-cases/aggregate?groupBy=${names['所在区']}`);
    expect(aggregate.status).toBe(200);

    // Another account's key gets nothing, and nor does a dataset it was not granted.
    const stranger = await signUp(t);
    expect((await keyed(t, stranger.key, '/v1/datasets/linked-cases/records')).status).toBe(403);
    expect((await keyed(t, dev.key, '/v1/datasets/linked-cases-2/records')).status).toBe(403);
    // Every key of the account is covered.
    const reader = (await (await keyed(t, dev.key, '/v1/keys', { method: 'POST', body: { name: 'reader', scopes: ['data:read'] } })).json()).key;
    expect((await keyed(t, reader, '/v1/datasets/linked-cases/records')).status).toBe(200);
  });

  it('carry pseudonyms consistent within the dataset and unrelated across datasets', async () => {
    const id = names['身份证号']!;
    const rows = (await (await keyed(t, dev.key, `/v1/datasets/linked-cases/records?limit=100`)).json()).data as Record<string, string>[];
    // Rows i and i+10 are the same synthetic person.
    for (let index = 0; index < 10; index++) {
      expect(rows[index]![id]).toMatch(/^[0-9a-f]{32}$/);
      expect(rows[index]![id]).toBe(rows[index + 10]![id]);
      expect(rows[index]![id]).toBe(rows[index + 20]![id]);
    }
    expect(new Set(rows.map((row) => row[id])).size).toBe(10);
    for (const residentId of residentIds) expect(JSON.stringify(rows)).not.toContain(residentId);
    // The same people in the other dataset (read from its table) carry other pseudonyms.
    const [other] = await t.database.db.rows<{ id: string }>(sql`select id from datasets where slug = 'linked-cases-2'`);
    const otherRows = await t.database.db.rows<Record<string, string>>(sql.raw(`select "${otherNames['身份证号']}" as p from published."ds_${other!.id.replace(/-/g, '')}_v1"`));
    const mine = new Set(rows.map((row) => row[id]));
    expect(otherRows.some((row) => mine.has(row.p!))).toBe(false);
  });

  it('audits every read of conditional data: account, dataset, fields, rows, never values', async () => {
    const entries = await (await call(t, tokens.auditor, 'GET', `/v1/admin/audit?actor=account:${dev.accountId}&action=conditional.records`)).json();
    expect(entries.data.length).toBeGreaterThanOrEqual(2);
    expect(entries.data[0].details).toMatchObject({ rows: 30, grants: [grant.id] });
    expect(entries.data[0].details.fields.sort()).toEqual(granted().sort());
    const exports = await (await call(t, tokens.auditor, 'GET', `/v1/admin/audit?actor=account:${dev.accountId}&action=conditional.export_completed`)).json();
    expect(exports.data[0].details.rows).toBe(30);
    const everything = JSON.stringify(await t.database.db.rows(sql`select details from audit_log`));
    for (const residentId of residentIds) expect(everything).not.toContain(residentId);
  });

  it('end at the exact instant (injected clock)', async () => {
    const endsAtMs = Date.parse(grant.endsAt);
    const start = t.clock.nowMs();
    try {
      t.clock.setMs(endsAtMs - 1);
      expect((await keyed(t, dev.key, '/v1/datasets/linked-cases/records?limit=1')).status).toBe(200);
      t.clock.setMs(endsAtMs);
      const ended = await keyed(t, dev.key, '/v1/datasets/linked-cases/records?limit=1');
      expect(ended.status).toBe(403);
      expect((await ended.json()).code).toBe('application_required');
      expect((await keyed(t, dev.key, '/v1/datasets/linked-cases/export')).status).toBe(403);
      const listed = await (await keyed(t, dev.key, '/v1/applications')).json();
      expect(listed.data[0].grant.status).toBe('expired');
    } finally {
      t.clock.setMs(start);
    }
  });

  it('end at once when revoked by a steward of the publisher', async () => {
    expect((await call(t, tokens.foreignSteward, 'POST', `/v1/admin/grants/${grant.id}/revoke`, { reason: '违反协议' })).status).toBe(404);
    expect((await keyed(t, dev.key, '/v1/datasets/linked-cases/records?limit=1')).status).toBe(200);
    const revoked = await call(t, tokens.steward, 'POST', `/v1/admin/grants/${grant.id}/revoke`, { reason: '违反协议第 5 条' });
    expect(await revoked.json()).toMatchObject({ status: 'revoked' });
    expect((await keyed(t, dev.key, '/v1/datasets/linked-cases/records?limit=1')).status).toBe(403);
    const actions = (await (await call(t, tokens.auditor, 'GET', `/v1/admin/audit?target=grant:${grant.id}`)).json()).data.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(['grant.revoked', 'grant.created']);
  });
});
