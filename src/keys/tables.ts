import { sql } from 'drizzle-orm';
import { bigint, index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const accountStatusEnum = pgEnum('developer_account_status', ['active', 'suspended']);

/** Third-party developers and enterprises that hold API keys. */
export const developerAccounts = pgTable('developer_accounts', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** Lower-cased; one account per address. */
  email: text('email').notNull().unique(),
  organization: text('organization'),
  /** Unified social credit code (GB 32100) of the organization, validated on sign-up. */
  creditCode: text('credit_code'),
  /** A plan name from KEY_PLANS; the limits themselves live in configuration. */
  plan: text('plan').notNull(),
  status: accountStatusEnum('status').notNull().default('active'),
  suspendedAt: timestamp('suspended_at', { withTimezone: true }),
  suspendedReason: text('suspended_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** API keys: only the SHA-256 of the whole key and a short display prefix are kept. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => developerAccounts.id),
    name: text('name').notNull(),
    /** Hex SHA-256 of the full key. */
    keyHash: text('key_hash').notNull().unique(),
    displayPrefix: text('display_prefix').notNull(),
    scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Null: never expires. Rotation sets it to the end of the grace period. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** The key that replaced this one on rotation. */
    rotatedToId: uuid('rotated_to_id'),
  },
  (table) => [index('api_keys_account_idx').on(table.accountId)],
);

/** Metered usage, one row per key, hour, route pattern and dataset; written in batches. */
export const keyUsage = pgTable(
  'key_usage',
  {
    keyId: uuid('key_id')
      .notNull()
      .references(() => apiKeys.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => developerAccounts.id),
    /** Start of the UTC hour. */
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    /** The matched route pattern, for example `/v1/datasets/:id/records`. */
    route: text('route').notNull(),
    /** Dataset id the request read, or '' when none. */
    datasetId: text('dataset_id').notNull().default(''),
    requests: bigint('requests', { mode: 'number' }).notNull().default(0),
    rows: bigint('rows', { mode: 'number' }).notNull().default(0),
    bytes: bigint('bytes', { mode: 'number' }).notNull().default(0),
    errors: bigint('errors', { mode: 'number' }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.keyId, table.hour, table.route, table.datasetId] }),
    index('key_usage_account_hour_idx').on(table.accountId, table.hour),
  ],
);
