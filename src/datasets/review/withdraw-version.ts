import { eq, sql } from 'drizzle-orm';
import type { StewardIdentity } from '../../auth/identity';
import type { Clock } from '../../clock';
import type { Database, Orm } from '../../db/client';
import { KaifangError } from '../../errors';
import { assertActsFor } from '../permissions';
import { recordEvent } from '../record-event';
import { datasets, datasetVersions } from '../tables';
import { PUBLISHED_SCHEMA, quoteIdent, STAGING_SCHEMA } from '../version-table';
import { latestOtherPublished } from './approve-version';
import { assertStatus, loadVersionForUpdate } from './load-version';

/**
 * Takes a published version offline at once: in one transaction its table leaves the
 * published schema and the dataset falls back to its latest other published version
 * (or to none), so no endpoint can serve it after the commit.
 */
export async function withdrawVersion(ctx: { db: Database; clock: Clock }, identity: StewardIdentity, datasetId: string, versionNumber: number, reason: string) {
  const { db, clock } = ctx;
  if (reason.trim().length === 0) throw new KaifangError('validation_failed', 'A withdrawal needs a reason.', { errors: [{ location: 'body.reason', message: 'required' }] });
  const nowMs = clock.nowMs();
  return db.orm.transaction(async (tx) => {
    const { version, publisherSlug } = await loadVersionForUpdate(db, tx as Orm, datasetId, versionNumber);
    assertActsFor(identity, publisherSlug, ['steward', 'approver']);
    assertStatus(version.status, ['published'], 'withdraw');
    await tx.execute(sql.raw(`alter table ${PUBLISHED_SCHEMA}.${quoteIdent(version.tableName)} set schema ${STAGING_SCHEMA}`));
    const [updated] = await tx
      .update(datasetVersions)
      .set({ status: 'withdrawn', withdrawnBy: identity.subject, withdrawnAt: new Date(nowMs), withdrawReason: reason.trim() })
      .where(eq(datasetVersions.id, version.id))
      .returning();
    const fallback = await latestOtherPublished(tx as Orm, datasetId, versionNumber);
    await tx.update(datasets).set({ currentVersion: fallback, updatedAt: new Date(nowMs) }).where(eq(datasets.id, datasetId));
    await recordEvent(tx as Orm, { datasetId, versionNumber, action: 'version_withdrawn', actor: identity.subject, reason: reason.trim(), details: { currentVersion: fallback }, atMs: nowMs });
    return updated!;
  });
}
