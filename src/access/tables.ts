import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { datasets } from '../datasets/tables';
import { developerAccounts } from '../keys/tables';

export const verificationStatusEnum = pgEnum('organization_verification_status', ['pending', 'verified', 'rejected']);
export const applicationStatusEnum = pgEnum('access_application_status', ['pending', 'approved', 'rejected']);

/** An account's request to be verified as an organisation; an admin decides. The latest request counts. */
export const organizationVerifications = pgTable(
  'organization_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => developerAccounts.id),
    organization: text('organization').notNull(),
    /** Unified social credit code (GB 32100), check character verified. */
    creditCode: text('credit_code').notNull(),
    status: verificationStatusEnum('status').notNull().default('pending'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
  },
  (table) => [
    index('organization_verifications_account_idx').on(table.accountId, table.requestedAt),
    // One open request per account at a time.
    uniqueIndex('organization_verifications_pending_idx').on(table.accountId).where(sql`status = 'pending'`),
  ],
);

/** Applications for conditionally open datasets. */
export const accessApplications = pgTable(
  'access_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => developerAccounts.id),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    purpose: text('purpose').notNull(),
    /** Public field names (`c1`, `c2`, ...) of the dataset. */
    requestedFields: text('requested_fields').array().notNull(),
    requestedEndsAt: timestamp('requested_ends_at', { withTimezone: true }).notNull(),
    /** Version id of the data use agreement the applicant accepted, and the SHA-256 of its text. */
    agreementVersion: text('agreement_version').notNull(),
    agreementSha256: text('agreement_sha256').notNull(),
    status: applicationStatusEnum('status').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
  },
  (table) => [
    index('access_applications_account_idx').on(table.accountId, table.createdAt),
    index('access_applications_dataset_status_idx').on(table.datasetId, table.status),
    uniqueIndex('access_applications_pending_idx').on(table.accountId, table.datasetId).where(sql`status = 'pending'`),
  ],
);

/** What an approval grants: the account's keys may read these fields of the dataset until `ends_at`. */
export const accessGrants = pgTable(
  'access_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .unique()
      .references(() => accessApplications.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => developerAccounts.id),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    fields: text('fields').array().notNull(),
    purpose: text('purpose').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    /** Exclusive: access ends at this instant. */
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    createdBy: text('created_by').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
    revokeReason: text('revoke_reason'),
  },
  (table) => [index('access_grants_account_dataset_idx').on(table.accountId, table.datasetId)],
);
