// Applications for conditionally open datasets, and the grants approval creates.
// Verified organisations apply; stewards of the dataset's publisher decide, never on
// their own application; every step is audited in the same transaction.
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { actors, appendAudit } from '../audit/index';
import type { StewardIdentity } from '../auth/identity';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { getPublicDataset } from '../datasets/catalog/public-dataset';
import { publicFields } from '../datasets/field-schema';
import { datasets, publishers } from '../datasets/tables';
import { assertActsFor } from '../datasets/permissions';
import { KaifangError } from '../errors';
import { developerAccounts } from '../keys/tables';
import { currentAgreement } from './agreement';
import type { Grant } from './grants';
import { accessApplications, accessGrants } from './tables';
import { isVerifiedOrganization } from './verifications';

export type Application = typeof accessApplications.$inferSelect;

/** The longest access period one application may ask for. */
export const MAX_GRANT_DAYS = 366;
const DAY_MS = 86_400_000;

export interface ApplicationView {
  application: Application;
  dataset: { id: string; slug: string; title: string; publisher: string };
  grant: Grant | null;
}

export interface NewApplication {
  dataset: string;
  purpose: string;
  fields: string[];
  endsAtMs: number;
  agreementVersion: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function invalid(location: string, message: string): never {
  throw new KaifangError('validation_failed', `Invalid ${location}.`, { errors: [{ location, message }] });
}

export async function applyForAccess(db: Database, clock: Clock, accountId: string, input: NewApplication): Promise<ApplicationView> {
  const nowMs = clock.nowMs();
  const agreement = currentAgreement();
  if (input.agreementVersion !== agreement.version) {
    invalid('body.acceptedAgreementVersion', `the current data use agreement is "${agreement.version}"; read it at GET /v1/data-use-agreement and accept that version`);
  }
  if (input.endsAtMs <= nowMs) invalid('body.endsAt', 'must be in the future');
  if (input.endsAtMs > nowMs + MAX_GRANT_DAYS * DAY_MS) invalid('body.endsAt', `must be at most ${MAX_GRANT_DAYS} days from now`);
  const found = await getPublicDataset(db, input.dataset);
  if (found.dataset.openTier !== 'conditional') {
    throw new KaifangError('unprocessable', `"${found.dataset.slug}" is not conditionally open: ${found.dataset.openTier === 'unconditional' ? 'any key with data:read may query it, no application is needed' : 'it is not served'}.`);
  }
  const available = new Set(publicFields(found.current.fields).map((field) => field.name));
  const unknown = input.fields.filter((field) => !available.has(field));
  if (unknown.length) invalid('body.fields', `not fields of this dataset: ${unknown.join(', ')} (the dataset's fields are listed at GET /v1/datasets/${found.dataset.slug})`);
  return db.orm.transaction(async (tx) => {
    if (!(await isVerifiedOrganization(tx, accountId))) {
      throw new KaifangError('organization_not_verified', 'Only accounts verified as an organisation may apply. Ask for verification with POST /v1/organization-verification.');
    }
    const [created] = await tx
      .insert(accessApplications)
      .values({
        accountId,
        datasetId: found.dataset.id,
        purpose: input.purpose.trim(),
        requestedFields: [...new Set(input.fields)],
        requestedEndsAt: new Date(input.endsAtMs),
        agreementVersion: agreement.version,
        agreementSha256: agreement.sha256,
        createdAt: new Date(nowMs),
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw new KaifangError('conflict', 'This account already has a pending application for this dataset.');
    await appendAudit(tx, {
      actor: actors.account(accountId),
      action: 'application.submitted',
      target: `application:${created.id}`,
      details: { dataset: found.dataset.id, fields: created.requestedFields, endsAt: created.requestedEndsAt.toISOString(), agreement: agreement.version, purposeSha256: sha256(created.purpose) },
      atMs: nowMs,
    });
    return { application: created, dataset: { id: found.dataset.id, slug: found.dataset.slug, title: found.dataset.title, publisher: found.publisher.slug }, grant: null };
  });
}

async function views(db: Database, where: SQL | undefined, limit: number, order: 'newest' | 'oldest'): Promise<ApplicationView[]> {
  const rows = await db.orm
    .select({ application: accessApplications, dataset: { id: datasets.id, slug: datasets.slug, title: datasets.title, publisher: publishers.slug } })
    .from(accessApplications)
    .innerJoin(datasets, eq(datasets.id, accessApplications.datasetId))
    .innerJoin(publishers, eq(publishers.id, datasets.publisherId))
    .where(where)
    .orderBy(order === 'newest' ? desc(accessApplications.createdAt) : asc(accessApplications.createdAt), asc(accessApplications.id))
    .limit(limit);
  const ids = rows.map((row) => row.application.id);
  const grants = ids.length ? await db.orm.select().from(accessGrants).where(inArray(accessGrants.applicationId, ids)) : [];
  const byApplication = new Map(grants.map((grant) => [grant.applicationId, grant]));
  return rows.map((row) => ({ ...row, grant: byApplication.get(row.application.id) ?? null }));
}

export function listOwnApplications(db: Database, accountId: string, limit = 500): Promise<ApplicationView[]> {
  return views(db, eq(accessApplications.accountId, accountId), limit, 'newest');
}

/** Stewards and approvers see their publisher's applications; admins and auditors see all. */
export function listApplicationsFor(db: Database, identity: StewardIdentity, options: { status?: Application['status'] | undefined; limit: number }): Promise<ApplicationView[]> {
  const everyone = identity.roles.includes('admin') || identity.roles.includes('auditor');
  const conditions = [
    options.status ? eq(accessApplications.status, options.status) : undefined,
    everyone ? undefined : eq(publishers.slug, identity.publisher ?? '\u0000'),
  ].filter((condition): condition is SQL => condition !== undefined);
  return views(db, conditions.length ? and(...conditions) : undefined, options.limit, 'oldest');
}

async function oneView(db: Database, applicationId: string): Promise<ApplicationView> {
  const [view] = await views(db, eq(accessApplications.id, applicationId), 1, 'oldest');
  if (!view) throw new KaifangError('not_found', 'No application has this id.');
  return view;
}

/**
 * Loads a pending application for a decision by `identity`, locked. Someone of another
 * publisher gets a 404 as if it did not exist; the applicant's own steward identity
 * (token subject = the account's email address) gets `conflict_of_interest`.
 */
async function pendingForDecision(tx: Parameters<Parameters<Database['orm']['transaction']>[0]>[0], identity: StewardIdentity, applicationId: string) {
  const [row] = await tx
    .select({ application: accessApplications, publisher: publishers.slug, email: developerAccounts.email })
    .from(accessApplications)
    .innerJoin(datasets, eq(datasets.id, accessApplications.datasetId))
    .innerJoin(publishers, eq(publishers.id, datasets.publisherId))
    .innerJoin(developerAccounts, eq(developerAccounts.id, accessApplications.accountId))
    .where(eq(accessApplications.id, applicationId))
    .for('update', { of: accessApplications });
  if (!row) throw new KaifangError('not_found', 'No application has this id.');
  if (!identity.roles.includes('admin') && identity.publisher !== row.publisher) throw new KaifangError('not_found', 'No application has this id.');
  assertActsFor(identity, row.publisher, ['steward', 'approver']);
  if (identity.subject.trim().toLowerCase() === row.email) {
    throw new KaifangError('conflict_of_interest', 'This application was made by your own developer account; another steward of the publisher must decide on it.');
  }
  if (row.application.status !== 'pending') throw new KaifangError('conflict', `This application was already ${row.application.status}.`);
  return row.application;
}

export async function approveApplication(
  db: Database,
  clock: Clock,
  identity: StewardIdentity,
  applicationId: string,
  narrowing: { fields?: string[] | undefined; endsAtMs?: number | undefined },
): Promise<ApplicationView> {
  const nowMs = clock.nowMs();
  await db.orm.transaction(async (tx) => {
    const application = await pendingForDecision(tx, identity, applicationId);
    const fields = narrowing.fields ? [...new Set(narrowing.fields)] : application.requestedFields;
    const extra = fields.filter((field) => !application.requestedFields.includes(field));
    if (extra.length) invalid('body.fields', `an approval can only narrow the requested fields; not requested: ${extra.join(', ')}`);
    if (fields.length === 0) invalid('body.fields', 'grant at least one field, or reject the application');
    const endsAtMs = narrowing.endsAtMs ?? application.requestedEndsAt.getTime();
    if (endsAtMs > application.requestedEndsAt.getTime()) invalid('body.endsAt', `an approval can only shorten the period; the applicant asked until ${application.requestedEndsAt.toISOString()}`);
    if (endsAtMs <= nowMs) invalid('body.endsAt', 'must be in the future');
    await tx.update(accessApplications).set({ status: 'approved', decidedBy: identity.subject, decidedAt: new Date(nowMs) }).where(eq(accessApplications.id, application.id));
    const [grant] = await tx
      .insert(accessGrants)
      .values({
        applicationId: application.id,
        accountId: application.accountId,
        datasetId: application.datasetId,
        fields,
        purpose: application.purpose,
        startsAt: new Date(nowMs),
        endsAt: new Date(endsAtMs),
        createdBy: identity.subject,
      })
      .returning();
    await appendAudit(tx, { actor: actors.steward(identity.subject), action: 'application.approved', target: `application:${application.id}`, details: { grant: grant!.id }, atMs: nowMs });
    await appendAudit(tx, {
      actor: actors.steward(identity.subject),
      action: 'grant.created',
      target: `grant:${grant!.id}`,
      details: { account: application.accountId, dataset: application.datasetId, fields, endsAt: new Date(endsAtMs).toISOString(), narrowed: fields.length < application.requestedFields.length || endsAtMs < application.requestedEndsAt.getTime() },
      atMs: nowMs,
    });
  });
  return oneView(db, applicationId);
}

export async function rejectApplication(db: Database, clock: Clock, identity: StewardIdentity, applicationId: string, reason: string): Promise<ApplicationView> {
  const nowMs = clock.nowMs();
  await db.orm.transaction(async (tx) => {
    const application = await pendingForDecision(tx, identity, applicationId);
    await tx
      .update(accessApplications)
      .set({ status: 'rejected', decidedBy: identity.subject, decidedAt: new Date(nowMs), decisionReason: reason.trim() })
      .where(eq(accessApplications.id, application.id));
    await appendAudit(tx, { actor: actors.steward(identity.subject), action: 'application.rejected', target: `application:${application.id}`, details: { reasonSha256: sha256(reason.trim()) }, atMs: nowMs });
  });
  return oneView(db, applicationId);
}

/** Stewards and approvers of the dataset's publisher (or admins) end a grant at once. */
export async function revokeGrant(db: Database, clock: Clock, identity: StewardIdentity, grantId: string, reason: string): Promise<Grant> {
  const nowMs = clock.nowMs();
  return db.orm.transaction(async (tx) => {
    const [row] = await tx
      .select({ grant: accessGrants, publisher: publishers.slug })
      .from(accessGrants)
      .innerJoin(datasets, eq(datasets.id, accessGrants.datasetId))
      .innerJoin(publishers, eq(publishers.id, datasets.publisherId))
      .where(eq(accessGrants.id, grantId))
      .for('update', { of: accessGrants });
    if (!row || (!identity.roles.includes('admin') && identity.publisher !== row.publisher)) throw new KaifangError('not_found', 'No grant has this id.');
    assertActsFor(identity, row.publisher, ['steward', 'approver']);
    if (row.grant.revokedAt) return row.grant;
    const [updated] = await tx
      .update(accessGrants)
      .set({ revokedAt: new Date(nowMs), revokedBy: identity.subject, revokeReason: reason.trim() })
      .where(eq(accessGrants.id, grantId))
      .returning();
    await appendAudit(tx, { actor: actors.steward(identity.subject), action: 'grant.revoked', target: `grant:${grantId}`, details: { reasonSha256: sha256(reason.trim()) }, atMs: nowMs });
    return updated!;
  });
}
