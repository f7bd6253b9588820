import { and, eq, ne, sql } from 'drizzle-orm';
import type { StewardIdentity } from '../../auth/identity';
import type { Orm } from '../../db/client';
import { KaifangError } from '../../errors';
import type { ImportContext } from '../import-version';
import { assertActsFor } from '../permissions';
import { recordEvent } from '../record-event';
import { runGate } from '../run-gate';
import { datasets, datasetVersions } from '../tables';
import { PUBLISHED_SCHEMA, quoteIdent, STAGING_SCHEMA } from '../version-table';
import { assertStatus, loadVersionForUpdate } from './load-version';
import { createPublishedIndexes } from './published-indexes';
import { gateRefusal } from './submit-version';

/**
 * An approver of the publisher who did not submit the version approves it. The gate
 * runs again on the stored rows; then, in one transaction, the table moves to the
 * published schema and the dataset's current version flips to it.
 */
export async function approveVersion(ctx: Pick<ImportContext, 'db' | 'policy' | 'clock'>, identity: StewardIdentity, datasetId: string, versionNumber: number) {
  const { db, policy, clock } = ctx;
  const nowMs = clock.nowMs();
  const outcome = await db.orm.transaction(async (tx) => {
    const { dataset, version, publisherSlug } = await loadVersionForUpdate(db, tx as Orm, datasetId, versionNumber);
    assertActsFor(identity, publisherSlug, ['approver']);
    assertStatus(version.status, ['submitted'], 'approve');
    if (version.submittedBy === identity.subject) {
      throw new KaifangError('forbidden', 'A version must be approved by someone other than the steward who submitted it.');
    }
    const staged = `${STAGING_SCHEMA}.${quoteIdent(version.tableName)}`;
    const gate = await runGate(db, tx as Orm, policy, { dataset, version, table: staged }, identity.subject, nowMs);
    if (!gate.passed) {
      await tx.update(datasetVersions).set({ gate }).where(eq(datasetVersions.id, version.id));
      await recordEvent(tx as Orm, { datasetId, versionNumber, action: 'gate_failed', actor: identity.subject, details: { findings: gate.findings.length }, atMs: nowMs });
      return { gate, version: undefined };
    }
    await tx.execute(sql.raw(`alter table ${staged} set schema ${PUBLISHED_SCHEMA}`));
    await createPublishedIndexes(tx as Orm, `${PUBLISHED_SCHEMA}.${quoteIdent(version.tableName)}`, version.tableName, version.fields);
    const [updated] = await tx
      .update(datasetVersions)
      .set({ status: 'published', gate, reviewedBy: identity.subject, reviewedAt: new Date(nowMs), publishedAt: new Date(nowMs) })
      .where(eq(datasetVersions.id, version.id))
      .returning();
    await tx.update(datasets).set({ currentVersion: versionNumber, updatedAt: new Date(nowMs) }).where(eq(datasets.id, datasetId));
    await recordEvent(tx as Orm, { datasetId, versionNumber, action: 'version_published', actor: identity.subject, atMs: nowMs });
    return { gate, version: updated! };
  });
  if (!outcome.version) throw gateRefusal(outcome.gate);
  return outcome.version;
}

/** The published version with the highest number other than `except`, if any. */
export async function latestOtherPublished(tx: Orm, datasetId: string, except: number): Promise<number | null> {
  const rows = await tx
    .select({ number: datasetVersions.number })
    .from(datasetVersions)
    .where(and(eq(datasetVersions.datasetId, datasetId), eq(datasetVersions.status, 'published'), ne(datasetVersions.number, except)));
  return rows.reduce<number | null>((max, row) => (max === null || row.number > max ? row.number : max), null);
}
