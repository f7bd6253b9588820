import { and, eq, sql } from 'drizzle-orm';
import type { Database, Orm } from '../../db/client';
import { KaifangError } from '../../errors';
import { datasets, datasetVersions, publishers } from '../tables';

/**
 * Loads a version and its dataset inside a transaction, locking the dataset row so two
 * reviews of the same dataset (approve and withdraw, say) cannot interleave.
 */
export async function loadVersionForUpdate(db: Database, tx: Orm, datasetId: string, versionNumber: number) {
  await db.rows(sql`select id from ${datasets} where ${datasets.id} = ${datasetId} for update`, tx);
  const [found] = await tx
    .select({ dataset: datasets, version: datasetVersions, publisherSlug: publishers.slug })
    .from(datasetVersions)
    .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
    .innerJoin(publishers, eq(publishers.id, datasets.publisherId))
    .where(and(eq(datasetVersions.datasetId, datasetId), eq(datasetVersions.number, versionNumber)));
  if (!found) throw new KaifangError('not_found', 'No such dataset version.');
  return found;
}

export function assertStatus(status: string, expected: string[], action: string): void {
  if (!expected.includes(status)) {
    throw new KaifangError('conflict', `Cannot ${action} a version that is ${status}; it must be ${expected.join(' or ')}.`);
  }
}
