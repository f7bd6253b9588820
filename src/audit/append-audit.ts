// Appends to the audit log inside the caller's transaction, so an action and its entry
// commit or roll back together: a crash cannot leave one without the other.
import { eq, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Orm } from '../db/client';
import { canonicalJson, entryHash, GENESIS_HASH } from './chain';
import { auditChainHead, auditLog } from './tables';

export interface AuditEntry {
  actor: string;
  action: string;
  target: string;
  /** Counts, ids, field names, hashes. Never raw personal values (names, ID numbers, phones, licence numbers). */
  details?: Record<string, unknown>;
  atMs: number;
}

/** Actor names, one spelling everywhere. */
export const actors = {
  steward: (subject: string) => `steward:${subject}`,
  account: (accountId: string) => `account:${accountId}`,
  system: 'system',
};

/**
 * Appends one entry and returns its sequence number. `tx` must be a transaction: the
 * chain head is locked (an upsert on its single row takes the row lock and returns the
 * latest committed head, on Postgres and PGlite alike) until the transaction ends, so
 * concurrent appenders queue and each links to the entry committed before it. This
 * relies on READ COMMITTED (Postgres' default), where the statements after the lock see
 * what the previous holder committed.
 */
export async function appendAudit(tx: Orm, entry: AuditEntry): Promise<number> {
  if (!(tx instanceof PgTransaction)) throw new Error('appendAudit needs the transaction of the action it records');
  const [head] = await tx
    .insert(auditChainHead)
    .values({ id: 1, seq: 0, hash: GENESIS_HASH })
    .onConflictDoUpdate({ target: auditChainHead.id, set: { seq: sql`${auditChainHead.seq}` } })
    .returning();
  // Stored as jsonb: normalise now so the hash is computed over what will be read back.
  const details = JSON.parse(canonicalJson(entry.details ?? {})) as Record<string, unknown>;
  const row = { seq: head!.seq + 1, at: new Date(entry.atMs), actor: entry.actor, action: entry.action, target: entry.target, details, prevHash: head!.hash };
  const hash = entryHash(row);
  await tx.insert(auditLog).values({ ...row, hash });
  await tx.update(auditChainHead).set({ seq: row.seq, hash }).where(eq(auditChainHead.id, 1));
  return row.seq;
}
