import { desc, eq, or } from 'drizzle-orm';
import type { Database } from '../db/client';
import { KaifangError } from '../errors';
import { datasets, datasetVersions, publishers } from './tables';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A dataset by UUID or slug, with its publisher's slug; 404 when there is none. */
export async function findDataset(db: Database, idOrSlug: string) {
  const match = UUID.test(idOrSlug) ? or(eq(datasets.id, idOrSlug), eq(datasets.slug, idOrSlug)) : eq(datasets.slug, idOrSlug);
  const [found] = await db.orm
    .select({ dataset: datasets, publisherSlug: publishers.slug })
    .from(datasets)
    .innerJoin(publishers, eq(publishers.id, datasets.publisherId))
    .where(match);
  if (!found) throw new KaifangError('not_found', 'No such dataset.');
  return found;
}

export async function listVersions(db: Database, datasetId: string) {
  return db.orm.select().from(datasetVersions).where(eq(datasetVersions.datasetId, datasetId)).orderBy(desc(datasetVersions.number));
}
