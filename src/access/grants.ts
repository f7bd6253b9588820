// Grants are read from the database on every request for conditional data, never
// cached: an expiry (compared with the injected clock to the exact instant) or a
// revocation applies to the next request on every instance, with nothing to broadcast.
// The lookup is one indexed query, and only conditional datasets pay for it.
import { and, eq, gt, isNull, lte } from 'drizzle-orm';
import { actors, appendAudit } from '../audit/index';
import type { Database, Orm } from '../db/client';
import { accessGrants } from './tables';

export type Grant = typeof accessGrants.$inferSelect;

export type GrantStatus = 'active' | 'scheduled' | 'expired' | 'revoked';

export function grantStatus(grant: Pick<Grant, 'startsAt' | 'endsAt' | 'revokedAt'>, nowMs: number): GrantStatus {
  if (grant.revokedAt) return 'revoked';
  if (grant.endsAt.getTime() <= nowMs) return 'expired';
  return grant.startsAt.getTime() > nowMs ? 'scheduled' : 'active';
}

export interface ActiveAccess {
  grantIds: string[];
  /** Union of the fields of the account's active grants on the dataset. */
  fields: Set<string>;
}

export async function activeAccess(orm: Orm, accountId: string, datasetId: string, nowMs: number): Promise<ActiveAccess | undefined> {
  const now = new Date(nowMs);
  const grants = await orm
    .select({ id: accessGrants.id, fields: accessGrants.fields })
    .from(accessGrants)
    .where(and(eq(accessGrants.accountId, accountId), eq(accessGrants.datasetId, datasetId), isNull(accessGrants.revokedAt), lte(accessGrants.startsAt, now), gt(accessGrants.endsAt, now)));
  if (grants.length === 0) return undefined;
  return { grantIds: grants.map((grant) => grant.id), fields: new Set(grants.flatMap((grant) => grant.fields)) };
}

export interface ConditionalRead {
  accountId: string;
  keyId: string;
  datasetId: string;
  version: number;
  operation: 'records' | 'aggregate' | 'export' | 'export_completed';
  grantIds: string[];
  fields: string[];
  /** Rows (or groups) returned; null when not known yet (an export that starts streaming). */
  rows: number | null;
  atMs: number;
}

/** Every read of conditional data is audited: who, which dataset, which fields, how many rows. */
export async function recordConditionalRead(db: Database, read: ConditionalRead): Promise<void> {
  await db.orm.transaction((tx) =>
    appendAudit(tx, {
      actor: actors.account(read.accountId),
      action: `conditional.${read.operation}`,
      target: `dataset:${read.datasetId}`,
      details: { key: read.keyId, version: read.version, grants: read.grantIds, fields: read.fields, rows: read.rows },
      atMs: read.atMs,
    }),
  );
}
