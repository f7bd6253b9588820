// Organisation verification: an account names its organisation and unified social
// credit code; an admin checks it against the registry and verifies or rejects it.
// Only verified accounts may apply for conditionally open data.
import { and, asc, desc, eq } from 'drizzle-orm';
import { actors, appendAudit } from '../audit/index';
import type { StewardIdentity } from '../auth/identity';
import type { Clock } from '../clock';
import type { Database, Orm } from '../db/client';
import { KaifangError } from '../errors';
import { isCreditCode, normalizeForDetection } from '../privacy/index';
import { organizationVerifications } from './tables';

export type Verification = typeof organizationVerifications.$inferSelect;

export function normalizeCreditCode(value: string): string {
  return normalizeForDetection(value).replace(/[\s-]/g, '').toUpperCase();
}

export async function requestVerification(db: Database, clock: Clock, accountId: string, input: { organization: string; creditCode: string }): Promise<Verification> {
  const creditCode = normalizeCreditCode(input.creditCode);
  if (!isCreditCode(creditCode)) {
    throw new KaifangError('validation_failed', 'Invalid body.creditCode.', {
      errors: [{ location: 'body.creditCode', message: 'not a unified social credit code: 18 characters whose check character must match (GB 32100)' }],
    });
  }
  const nowMs = clock.nowMs();
  return db.orm.transaction(async (tx) => {
    const [latest] = await latestFor(tx, accountId);
    if (latest?.status === 'pending') throw new KaifangError('conflict', 'A verification request of this account is already waiting for an administrator.');
    if (latest?.status === 'verified') throw new KaifangError('conflict', 'This account is already verified as an organisation.');
    const [created] = await tx
      .insert(organizationVerifications)
      .values({ accountId, organization: input.organization.trim(), creditCode, requestedAt: new Date(nowMs) })
      .returning();
    await appendAudit(tx, { actor: actors.account(accountId), action: 'organization.verification_requested', target: `verification:${created!.id}`, atMs: nowMs });
    return created!;
  });
}

function latestFor(orm: Orm, accountId: string) {
  return orm
    .select()
    .from(organizationVerifications)
    .where(eq(organizationVerifications.accountId, accountId))
    .orderBy(desc(organizationVerifications.requestedAt), desc(organizationVerifications.id))
    .limit(1);
}

export async function latestVerification(db: Database, accountId: string): Promise<Verification | undefined> {
  const [latest] = await latestFor(db.orm, accountId);
  return latest;
}

export async function isVerifiedOrganization(orm: Orm, accountId: string): Promise<boolean> {
  const [row] = await orm
    .select({ id: organizationVerifications.id })
    .from(organizationVerifications)
    .where(and(eq(organizationVerifications.accountId, accountId), eq(organizationVerifications.status, 'verified')))
    .limit(1);
  return row !== undefined;
}

export async function listVerifications(db: Database, options: { status?: Verification['status'] | undefined; limit: number }): Promise<Verification[]> {
  return db.orm
    .select()
    .from(organizationVerifications)
    .where(options.status ? eq(organizationVerifications.status, options.status) : undefined)
    .orderBy(asc(organizationVerifications.requestedAt), asc(organizationVerifications.id))
    .limit(options.limit);
}

/** An admin verifies or rejects a pending request. */
export async function decideVerification(
  db: Database,
  clock: Clock,
  identity: StewardIdentity,
  verificationId: string,
  decision: { status: 'verified' } | { status: 'rejected'; reason: string },
): Promise<Verification> {
  if (!identity.roles.includes('admin')) throw new KaifangError('forbidden', 'Only admins verify organisations.');
  const nowMs = clock.nowMs();
  return db.orm.transaction(async (tx) => {
    const [row] = await tx.select().from(organizationVerifications).where(eq(organizationVerifications.id, verificationId)).for('update');
    if (!row) throw new KaifangError('not_found', 'No verification request has this id.');
    if (row.status !== 'pending') throw new KaifangError('conflict', `This request was already ${row.status}.`);
    const [updated] = await tx
      .update(organizationVerifications)
      .set({ status: decision.status, decidedBy: identity.subject, decidedAt: new Date(nowMs), decisionReason: decision.status === 'rejected' ? decision.reason : null })
      .where(eq(organizationVerifications.id, row.id))
      .returning();
    await appendAudit(tx, {
      actor: actors.steward(identity.subject),
      action: decision.status === 'verified' ? 'organization.verified' : 'organization.rejected',
      target: `verification:${row.id}`,
      details: { account: row.accountId },
      atMs: nowMs,
    });
    return updated!;
  });
}
