import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../src/audit/index';
import { openDatabase } from '../../src/db/client';
import { createTestApp, type TestApp } from '../helpers/app';
import { call, setUpStewards, type Stewards } from '../helpers/admin';
import { runKaifang } from '../helpers/process';
import { keyed, signUp } from '../keys/helpers';

let t: TestApp;
let tokens: Stewards;

beforeAll(async () => {
  t = await createTestApp({ IP_RATE_LIMIT: '100000', SIGNUP_RATE_LIMIT: '100000' });
  tokens = await setUpStewards(t);
});
afterAll(async () => t.close());

const append = (n: number, tag: string) =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      t.database.db.orm.transaction((tx) => appendAudit(tx, { actor: 'system', action: 'test.append', target: `test:${tag}:${i}`, details: { i }, atMs: t.clock.nowMs() })),
    ),
  );

/** Runs `tamper` on the log, returns what verify says, then puts every row back (plain tables: a pool may use another connection for each statement). */
async function tampered(tamper: string[]): Promise<Awaited<ReturnType<typeof verifyAuditChain>>> {
  const { db } = t.database;
  await db.rows(sql`create table audit_backup as select * from audit_log`);
  await db.rows(sql`create table head_backup as select * from audit_chain_head`);
  try {
    for (const statement of tamper) await db.rows(sql.raw(statement));
    return await verifyAuditChain(db);
  } finally {
    await db.rows(sql`delete from audit_log`);
    await db.rows(sql`insert into audit_log select * from audit_backup`);
    await db.rows(sql`delete from audit_chain_head`);
    await db.rows(sql`insert into audit_chain_head select * from head_backup`);
    await db.rows(sql`drop table audit_backup`);
    await db.rows(sql`drop table head_backup`);
  }
}

describe('the audit chain', () => {
  it('stays one unbroken chain under many concurrent appends', async () => {
    const seqs = await append(60, 'concurrent');
    expect(new Set(seqs).size).toBe(60);
    const report = await verifyAuditChain(t.database.db);
    expect(report).toMatchObject({ ok: true, broken: null });
    const [row] = await t.database.db.rows<{ count: number; max: number }>(sql`select count(*)::int as count, max(seq)::int as max from audit_log`);
    expect(row!.max).toBe(row!.count);
    expect(report.entries).toBe(row!.count);
  });

  it('refuses to append outside a transaction', async () => {
    await expect(appendAudit(t.database.db.orm, { actor: 'system', action: 'x', target: 'y', atMs: 0 })).rejects.toThrow(/transaction/);
  });

  it('is written in the transaction of the action: a rolled-back action leaves no entry', async () => {
    const before = (await verifyAuditChain(t.database.db)).entries;
    await expect(
      t.database.db.orm.transaction(async (tx) => {
        await appendAudit(tx, { actor: 'system', action: 'test.rolled_back', target: 'test:x', atMs: t.clock.nowMs() });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    const after = await verifyAuditChain(t.database.db);
    expect(after).toMatchObject({ ok: true, entries: before });
  });

  it('catches an edited entry', async () => {
    await append(5, 'edit');
    const report = await tampered([`update audit_log set details = '{"i": 999}' where seq = 3`]);
    expect(report).toMatchObject({ ok: false, lastGoodSeq: 2, broken: { seq: 3, reason: 'hash_mismatch' } });
    const actor = await tampered([`update audit_log set actor = 'steward:someone.else' where seq = 4`]);
    expect(actor.broken).toMatchObject({ seq: 4, reason: 'hash_mismatch' });
  });

  it('catches a removed entry, and entries cut from the end', async () => {
    const report = await tampered(['delete from audit_log where seq = 5']);
    expect(report).toMatchObject({ ok: false, broken: { seq: 5, reason: 'sequence_gap' } });
    const renumbered = await tampered(['delete from audit_log where seq = 5', 'update audit_log set seq = -seq where seq > 5', 'update audit_log set seq = -seq - 1 where seq < 0']);
    expect(renumbered.broken).toMatchObject({ seq: 5, reason: 'hash_mismatch' });
    const tail = await tampered(['delete from audit_log where seq = (select max(seq) from audit_log)']);
    expect(tail.broken).toMatchObject({ reason: 'head_mismatch' });
  });

  it('catches a swapped pair', async () => {
    const report = await tampered(['update audit_log set seq = -1 where seq = 6', 'update audit_log set seq = 6 where seq = 7', 'update audit_log set seq = 7 where seq = -1']);
    expect(report).toMatchObject({ ok: false, broken: { seq: 6, reason: 'hash_mismatch' } });
    // Swapping contents but keeping each row's own hashes and links: the hashes give it away.
    const contents = await tampered([
      `update audit_log a set target = b.target, details = b.details from audit_log b where (a.seq, b.seq) in ((8, 9), (9, 8))`,
    ]);
    expect(contents.broken).toMatchObject({ seq: 8, reason: 'hash_mismatch' });
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });
});

describe('what feeds it', () => {
  it('records key and account events, publishing and admin actions', async () => {
    const dev = await signUp(t);
    const created = await (await keyed(t, dev.key, '/v1/keys', { method: 'POST', body: { name: 'k', scopes: ['keys:manage'] } })).json();
    await keyed(t, dev.key, `/v1/keys/${created.id}/rotate`, { method: 'POST', body: { gracePeriodSeconds: 0 } });
    await keyed(t, dev.key, `/v1/keys/${created.id}`, { method: 'DELETE' });
    await call(t, tokens.admin, 'POST', `/v1/admin/accounts/${dev.accountId}/suspend`, { reason: '测试' });
    await call(t, tokens.admin, 'PUT', `/v1/admin/accounts/${dev.accountId}/plan`, { plan: 'standard' });
    const mine = await (await call(t, tokens.auditor, 'GET', `/v1/admin/audit?target=account:${dev.accountId}`)).json();
    expect(mine.data.map((entry: { action: string }) => entry.action)).toEqual(['account.plan_changed', 'account.suspended', 'account.created']);
    expect(mine.data[0]).toMatchObject({ actor: 'steward:admin.zhou', details: { from: 'free', to: 'standard' } });
    const keyEvents = await (await call(t, tokens.auditor, 'GET', `/v1/admin/audit?target=key:${created.id}`)).json();
    expect(keyEvents.data.map((entry: { action: string }) => entry.action)).toEqual(['key.revoked', 'key.rotated', 'key.created']);
    const publishers = await (await call(t, tokens.auditor, 'GET', '/v1/admin/audit?action=publisher.created')).json();
    expect(publishers.data).toHaveLength(2);
    // No email address or name anywhere in the log.
    const all = JSON.stringify(await t.database.db.rows(sql`select * from audit_log`));
    expect(all).not.toContain('@example.com');
    expect(all).not.toContain('Wang Fang');
  });
});

describe('GET /v1/admin/audit', () => {
  it('is for auditors and admins, filters, and pages by cursor', async () => {
    expect((await call(t, tokens.steward, 'GET', '/v1/admin/audit')).status).toBe(403);
    expect((await call(t, tokens.approver, 'GET', '/v1/admin/audit/verify')).status).toBe(403);
    expect((await t.app.request('/v1/admin/audit')).status).toBe(401);
    const seen: number[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { data: { seq: number; action: string }[]; next: string | null } = await (
        await call(t, tokens.admin, 'GET', `/v1/admin/audit?action=test.append&limit=25${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.data.every((entry) => entry.action === 'test.append')).toBe(true);
      seen.push(...page.data.map((entry) => entry.seq));
      cursor = page.next;
    }
    expect(seen).toHaveLength(65);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    const at = new Date(t.clock.nowMs()).toISOString();
    const window = await (await call(t, tokens.auditor, 'GET', `/v1/admin/audit?from=${at}&to=${at}&limit=1000`)).json();
    expect(window.data.length).toBeGreaterThan(65);
    const none = await (await call(t, tokens.auditor, 'GET', `/v1/admin/audit?to=${new Date(t.clock.nowMs() - 1).toISOString()}`)).json();
    expect(none.data).toEqual([]);
    expect((await call(t, tokens.auditor, 'GET', '/v1/admin/audit?cursor=zzz')).status).toBe(400);
    const verify = await (await call(t, tokens.auditor, 'GET', '/v1/admin/audit/verify')).json();
    expect(verify).toMatchObject({ ok: true, broken: null });
  });
});

describe('kaifang audit verify', () => {
  it('says the chain is intact, and names the first broken link with exit code 1', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kaifang-audit-cli-'));
    try {
      const env = { KAIFANG_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
      const db = await openDatabase({ kind: 'embedded', dataDir: join(dataDir, 'pgdata') });
      await db.migrate();
      for (let i = 0; i < 4; i++) await db.orm.transaction((tx) => appendAudit(tx, { actor: 'system', action: 'test.cli', target: `test:${i}`, atMs: Date.now() }));
      await db.close();
      const intact = runKaifang(['audit', 'verify'], env);
      expect(await intact.exited).toBe(0);
      expect(intact.stdout()).toMatch(/audit chain intact: 4 entries, last 4/);

      const again = await openDatabase({ kind: 'embedded', dataDir: join(dataDir, 'pgdata') });
      await again.rows(sql`update audit_log set target = 'test:edited' where seq = 2`);
      await again.close();
      const broken = runKaifang(['audit', 'verify'], env);
      expect(await broken.exited).toBe(1);
      expect(broken.stdout()).toContain('audit chain BROKEN at entry 2 (hash_mismatch)');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
