import { eq, sql } from 'drizzle-orm';
import type { StewardIdentity } from '../../auth/identity';
import type { Database, Orm } from '../../db/client';
import type { Clock } from '../../clock';
import { KaifangError } from '../../errors';
import { assertActsFor } from '../permissions';
import { recordEvent } from '../record-event';
import { datasetVersions } from '../tables';
import { quoteIdent, STAGING_SCHEMA } from '../version-table';
import { assertStatus, loadVersionForUpdate } from './load-version';

/** An approver who did not submit the version rejects it, with a reason the steward will read. Its rows are discarded. */
export async function rejectVersion(ctx: { db: Database; clock: Clock }, identity: StewardIdentity, datasetId: string, versionNumber: number, reason: string) {
  const { db, clock } = ctx;
  if (reason.trim().length === 0) throw new KaifangError('validation_failed', 'A rejection needs a reason.', { errors: [{ location: 'body.reason', message: 'required' }] });
  const nowMs = clock.nowMs();
  return db.orm.transaction(async (tx) => {
    const { version, publisherSlug } = await loadVersionForUpdate(db, tx as Orm, datasetId, versionNumber);
    assertActsFor(identity, publisherSlug, ['approver']);
    assertStatus(version.status, ['submitted'], 'reject');
    if (version.submittedBy === identity.subject) throw new KaifangError('forbidden', 'A version must be reviewed by someone other than the steward who submitted it.');
    await tx.execute(sql.raw(`drop table ${STAGING_SCHEMA}.${quoteIdent(version.tableName)}`));
    const [updated] = await tx
      .update(datasetVersions)
      .set({ status: 'rejected', reviewedBy: identity.subject, reviewedAt: new Date(nowMs), reviewReason: reason.trim() })
      .where(eq(datasetVersions.id, version.id))
      .returning();
    await recordEvent(tx as Orm, { datasetId, versionNumber, action: 'version_rejected', actor: identity.subject, reason: reason.trim(), atMs: nowMs });
    return updated!;
  });
}
