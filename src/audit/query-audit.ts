import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { auditLog } from './tables';

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  target?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
  /** Keyset: entries with a smaller sequence number than this (newest first). */
  beforeSeq?: number | undefined;
  limit: number;
}

/** Entries newest first, filtered, keyset-paginated by sequence number. */
export async function listAudit(db: Database, filter: AuditFilter): Promise<AuditRow[]> {
  const conditions: (SQL | undefined)[] = [
    filter.actor ? eq(auditLog.actor, filter.actor) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.target ? eq(auditLog.target, filter.target) : undefined,
    filter.fromMs !== undefined ? gte(auditLog.at, new Date(filter.fromMs)) : undefined,
    filter.toMs !== undefined ? lte(auditLog.at, new Date(filter.toMs)) : undefined,
    filter.beforeSeq !== undefined ? lt(auditLog.seq, filter.beforeSeq) : undefined,
  ];
  const where = conditions.filter((condition): condition is SQL => condition !== undefined);
  return db.orm
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(filter.limit);
}
