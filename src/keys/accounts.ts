import { createHash } from 'node:crypto';
import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { actors, appendAudit } from '../audit/index';
import { KaifangError } from '../errors';
import { createKey, type IssuedKey } from './api-keys';
import { SCOPES } from './scopes';
import { developerAccounts } from './tables';

export type Account = typeof developerAccounts.$inferSelect;

export interface AccountSummary extends Account {
  /** Keys that are neither revoked nor expired. */
  activeKeys: number;
}

export interface NewAccount {
  name: string;
  email: string;
  organization?: string | undefined;
  creditCode?: string | undefined;
}

/** Creates an account and its first key, which holds every scope. */
export async function createAccount(db: Database, clock: Clock, input: NewAccount & { plan: string }): Promise<{ account: Account; key: IssuedKey }> {
  const now = new Date(clock.nowMs());
  return db.orm.transaction(async (tx) => {
    const [account] = await tx
      .insert(developerAccounts)
      .values({
        name: input.name,
        email: input.email.toLowerCase(),
        organization: input.organization ?? null,
        creditCode: input.creditCode ?? null,
        plan: input.plan,
        createdAt: now,
      })
      .onConflictDoNothing({ target: developerAccounts.email })
      .returning();
    if (!account) throw new KaifangError('conflict', 'An account with this email address already exists.');
    // No email or name in the entry: they are personal data; the account id points to them.
    await appendAudit(tx, { actor: actors.account(account.id), action: 'account.created', target: `account:${account.id}`, details: { plan: account.plan }, atMs: now.getTime() });
    const key = await createKey(tx, clock, { accountId: account.id, name: 'default', scopes: [...SCOPES], expiresAtMs: null });
    return { account, key };
  });
}

export async function getAccount(db: Database, accountId: string): Promise<Account> {
  const [account] = await db.orm.select().from(developerAccounts).where(eq(developerAccounts.id, accountId));
  if (!account) throw new KaifangError('not_found', 'No developer account has this id.');
  return account;
}

/** Accounts in creation order, keyset-paginated by (createdAt, id). */
export async function listAccounts(
  db: Database,
  clock: Clock,
  options: { limit: number; after?: { createdAtMs: number; id: string } | undefined; status?: Account['status'] | undefined; id?: string },
): Promise<AccountSummary[]> {
  const now = new Date(clock.nowMs()).toISOString();
  const conditions = [
    options.id ? eq(developerAccounts.id, options.id) : undefined,
    options.status ? eq(developerAccounts.status, options.status) : undefined,
    options.after
      ? or(
          gt(developerAccounts.createdAt, new Date(options.after.createdAtMs)),
          and(eq(developerAccounts.createdAt, new Date(options.after.createdAtMs)), gt(developerAccounts.id, options.after.id)),
        )
      : undefined,
  ].filter(Boolean);
  const rows = await db.orm
    .select({
      account: developerAccounts,
      activeKeys: sql<number>`(select count(*)::int from api_keys k where k.account_id = developer_accounts.id and k.revoked_at is null and (k.expires_at is null or k.expires_at > ${now}::timestamptz))`,
    })
    .from(developerAccounts)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(developerAccounts.createdAt), asc(developerAccounts.id))
    .limit(options.limit);
  return rows.map((row) => ({ ...row.account, activeKeys: Number(row.activeKeys) }));
}

export async function getAccountSummary(db: Database, clock: Clock, accountId: string): Promise<AccountSummary> {
  const [summary] = await listAccounts(db, clock, { limit: 1, id: accountId });
  if (!summary) throw new KaifangError('not_found', 'No developer account has this id.');
  return summary;
}

/** `actor` is the admin, as an audit actor name (for example `steward:admin.zhou`). */
export async function setAccountStatus(
  db: Database,
  clock: Clock,
  accountId: string,
  change: { status: 'active' } | { status: 'suspended'; reason: string | undefined },
  actor: string = actors.system,
): Promise<Account> {
  const suspended = change.status === 'suspended';
  return db.orm.transaction(async (tx) => {
    const [account] = await tx
      .update(developerAccounts)
      .set({
        status: change.status,
        suspendedAt: suspended ? new Date(clock.nowMs()) : null,
        suspendedReason: suspended ? (change.reason ?? null) : null,
      })
      .where(eq(developerAccounts.id, accountId))
      .returning();
    if (!account) throw new KaifangError('not_found', 'No developer account has this id.');
    await appendAudit(tx, {
      actor,
      action: suspended ? 'account.suspended' : 'account.reinstated',
      target: `account:${account.id}`,
      details: suspended && change.reason ? { reasonSha256: createHash('sha256').update(change.reason, 'utf8').digest('hex') } : {},
      atMs: clock.nowMs(),
    });
    return account;
  });
}

export async function setAccountPlan(db: Database, accountId: string, plan: string, actor: string = actors.system, clock?: Clock): Promise<Account> {
  return db.orm.transaction(async (tx) => {
    const [before] = await tx.select({ plan: developerAccounts.plan }).from(developerAccounts).where(eq(developerAccounts.id, accountId)).for('update');
    const [account] = await tx.update(developerAccounts).set({ plan }).where(eq(developerAccounts.id, accountId)).returning();
    if (!account) throw new KaifangError('not_found', 'No developer account has this id.');
    await appendAudit(tx, { actor, action: 'account.plan_changed', target: `account:${account.id}`, details: { from: before?.plan ?? null, to: plan }, atMs: clock?.nowMs() ?? Date.now() });
    return account;
  });
}
