import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * The tamper-evident audit log: append-only, one row per recorded action. Each entry
 * carries the SHA-256 of the previous entry's canonical form (`prev_hash`) and its own
 * (`hash`), so editing, removing or reordering any entry breaks the chain at that point.
 * Entries are only ever inserted by `appendAudit`, inside the transaction of the action.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    /** 1, 2, 3, ... without gaps: assigned under the chain-head lock, not by a sequence. */
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Who: `steward:<sub>`, `account:<id>`, `operator:<name>` or `system`. */
    actor: text('actor').notNull(),
    /** What, dotted: `dataset.version_published`, `key.revoked`, `grant.created`, `conditional.read`, ... */
    action: text('action').notNull(),
    /** On what: `dataset:<id>`, `key:<id>`, `application:<id>`, `capability:<id>`, ... */
    target: text('target').notNull(),
    /** Counts, ids, field names and hashes; never a raw personal value. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [
    index('audit_log_actor_idx').on(table.actor, table.seq),
    index('audit_log_action_idx').on(table.action, table.seq),
    index('audit_log_target_idx').on(table.target, table.seq),
    index('audit_log_at_idx').on(table.at),
  ],
);

/**
 * One row (id = 1): the last entry's sequence number and hash. Appenders lock it, so
 * concurrent transactions append one after another and the chain cannot fork; verify
 * compares it with the last entry, so removing entries from the end is detected too.
 */
export const auditChainHead = pgTable('audit_chain_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});
